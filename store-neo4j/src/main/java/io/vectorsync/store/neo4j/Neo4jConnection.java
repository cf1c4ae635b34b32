package io.vectorsync.store.neo4j;

import org.neo4j.driver.AuthToken;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.TransactionConfig;

import java.util.concurrent.TimeUnit;

/**
 * The driver of one sink or reader. The driver keeps a pool and connects lazily, on first use and again after the
 * server went away, so nothing here has to be reopened after a failure.
 */
final class Neo4jConnection implements AutoCloseable {
    /** Idle pooled connections older than this are checked before use, so a restarted server costs no failure. */
    private static final long LIVENESS_CHECK_SECONDS = 10;

    private final Neo4jSinkConfig config;
    private final Driver driver;
    private final SessionConfig session;
    private final TransactionConfig transaction;

    /** @param userAgent shown by {@code SHOW TRANSACTIONS}, so operators can tell writers from readers */
    Neo4jConnection(Neo4jSinkConfig config, String userAgent) {
        this.config = config;
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, config.timeoutMs());
        AuthToken auth = config.password().isEmpty() ? AuthTokens.none()
                : AuthTokens.basic(config.user(), config.password());
        Config driverConfig = Config.builder()
                .withUserAgent(userAgent)
                .withConnectionTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                .withConnectionAcquisitionTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                .withConnectionLivenessCheckTimeout(LIVENESS_CHECK_SECONDS, TimeUnit.SECONDS)
                .build();
        this.driver = GraphDatabase.driver(config.uri(), auth, driverConfig);
        this.session = SessionConfig.forDatabase(config.database());
        this.transaction = TransactionConfig.builder().withTimeout(config.timeout()).build();
    }

    Session session() {
        return driver.session(session);
    }

    /** Bounds every transaction by {@code sink.neo4j.timeout.ms} on the server. */
    TransactionConfig transaction() {
        return transaction;
    }

    String uri() {
        return config.uri();
    }

    @Override
    public void close() {
        driver.close();
    }
}
