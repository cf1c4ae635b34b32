package io.vectorsync.store.neo4j;

import io.vectorsync.sink.preflight.CheckResult;
import io.vectorsync.sink.preflight.Failures;
import io.vectorsync.sink.preflight.StoreCheck;
import io.vectorsync.sink.preflight.StoreDimensions;
import org.neo4j.driver.AuthToken;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.TransactionConfig;
import org.neo4j.driver.exceptions.AuthenticationException;
import org.neo4j.driver.exceptions.FatalDiscoveryException;
import org.neo4j.driver.exceptions.Neo4jException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Neo4j: reachable with the configured credentials, its version, vector index support (5.11 and later), and each
 * collection's vector index absent or of the configured dimension.
 */
final class Neo4jCheck extends StoreCheck {
    static final String VECTOR_PROCEDURE = "db.index.vector.queryNodes";
    private static final String COMPONENTS = "CALL dbms.components() YIELD name, versions, edition"
            + " RETURN versions[0] AS version, edition";
    private static final String PROCEDURE = "SHOW PROCEDURES YIELD name WHERE name = $name RETURN count(*) AS n";
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+).*");

    private final Neo4jSinkConfig config;

    Neo4jCheck(Neo4jSinkConfig config, List<String> collections, int dimension, Duration timeout) {
        super(collections, dimension, timeout);
        this.config = config;
    }

    @Override
    public String group() {
        return "neo4j";
    }

    @Override
    public String target() {
        return "Neo4j at " + config.uri();
    }

    @Override
    public List<CheckResult> run() {
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        AuthToken auth = config.password().isEmpty() ? AuthTokens.none()
                : AuthTokens.basic(config.user(), config.password());
        Config driverConfig = Config.builder().withUserAgent("vectorsync-preflight")
                .withConnectionTimeout(ms, TimeUnit.MILLISECONDS)
                .withConnectionAcquisitionTimeout(ms, TimeUnit.MILLISECONDS)
                .build();
        try (Driver driver = GraphDatabase.driver(config.uri(), auth, driverConfig)) {
            try {
                driver.verifyConnectivity();
            } catch (AuthenticationException e) {
                return List.of(CheckResult.fail("neo4j.reachable", "Neo4j at " + config.uri() + " refused the"
                                + " credentials: " + Failures.describe(e),
                        "correct " + Neo4jSinkConfig.USER.name() + " / " + Neo4jSinkConfig.PASSWORD.name()));
            } catch (Neo4jException e) {
                return List.of(CheckResult.fail("neo4j.reachable", "cannot connect to Neo4j at " + config.uri() + ": "
                                + Failures.describe(e),
                        "start Neo4j at " + config.uri() + ", or correct " + Neo4jSinkConfig.URI_KEY.name()));
            }
            try (Session session = driver.session(SessionConfig.forDatabase(config.database()))) {
                return checks(session);
            } catch (FatalDiscoveryException e) {
                return List.of(CheckResult.fail("neo4j.reachable", "Neo4j at " + config.uri() + " has no database "
                                + config.database() + ": " + Failures.describe(e),
                        "create the database (CREATE DATABASE " + config.database() + ", Enterprise Edition), or set "
                                + Neo4jSinkConfig.DATABASE.name() + " to an existing one"));
            }
        }
    }

    private List<CheckResult> checks(Session session) {
        TransactionConfig tx = TransactionConfig.builder().withTimeout(timeout).build();
        Record components = session.run(COMPONENTS, tx).single();
        String version = components.get("version").asString();
        List<CheckResult> rows = new ArrayList<>();
        rows.add(CheckResult.ok("neo4j.reachable", "Neo4j " + version + " " + components.get("edition").asString()
                + " at " + config.uri() + ", database " + config.database()));
        boolean procedure = session.run(PROCEDURE, Map.of("name", VECTOR_PROCEDURE), tx).single().get("n")
                .asLong() > 0;
        CheckResult support = vectorIndexSupport(version, procedure);
        rows.add(support);
        if (support.status() == CheckResult.Status.OK) {
            for (String collection : collections) {
                rows.add(index(session, tx, collection));
            }
        }
        return rows;
    }

    /** Pure: vector indexes came with Neo4j 5.11, queried through {@value #VECTOR_PROCEDURE}. */
    static CheckResult vectorIndexSupport(String version, boolean procedure) {
        String check = "neo4j.vector_index";
        String upgrade = "upgrade Neo4j to 5.11 or later (vectorsync is tested with 5.26)";
        Matcher m = VERSION.matcher(version);
        boolean oldVersion = m.matches() && (Integer.parseInt(m.group(1)) < 5
                || Integer.parseInt(m.group(1)) == 5 && Integer.parseInt(m.group(2)) < 11);
        if (oldVersion) {
            return CheckResult.fail(check, "Neo4j " + version + " has no vector indexes (they came in 5.11)",
                    upgrade);
        }
        if (!procedure) {
            return CheckResult.fail(check, "Neo4j " + version + " lacks the procedure " + VECTOR_PROCEDURE
                    + " that vector search uses", "allow the db.index.vector.* procedures"
                    + " (dbms.security.procedures.allowlist in neo4j.conf), or " + upgrade);
        }
        return CheckResult.ok(check, "Neo4j " + version + " has vector indexes (" + VECTOR_PROCEDURE + ")");
    }

    private CheckResult index(Session session, TransactionConfig tx, String collection) {
        String check = "neo4j.index:" + collection;
        String name;
        try {
            name = Neo4jStatements.indexName(Neo4jStatements.requireCollection(collection));
        } catch (IllegalArgumentException e) {
            return CheckResult.fail(check, e.getMessage(), "give the collection a shorter name");
        }
        List<Record> indexes = session.run(Neo4jStatements.vectorIndexDimensions(), Map.of("label", collection), tx)
                .list();
        // Any vector index on :<collection>(embedding) counts, whatever its name: Neo4j allows only one.
        Record found = indexes.stream().filter(r -> r.get("dimensions").isNull()
                || r.get("dimensions").asLong() != dimension).findFirst()
                .orElse(indexes.isEmpty() ? null : indexes.get(0));
        String what = "neo4j vector index on :" + collection + "(embedding)";
        if (found == null) {
            return StoreDimensions.existing(check, what + " (" + name + ")", false, null, dimension, "");
        }
        String existing = found.get("name").asString();
        Integer dims = found.get("dimensions").isNull() ? 0 : (int) found.get("dimensions").asLong();
        return StoreDimensions.existing(check, what + " (" + existing + ")", true, dims, dimension,
                "DROP INDEX " + existing);
    }
}
