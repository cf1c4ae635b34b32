package io.vectorsync.store.neo4j;

import io.vectorsync.core.config.ConfigKey;
import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.Sink;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.sink.preflight.CheckResult;
import io.vectorsync.sink.preflight.PreflightCheck;
import io.vectorsync.sink.preflight.StoreDimensions;
import io.vectorsync.sink.spi.StoreConfig;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where the Neo4j sink writes.
 *
 * @param uri       Bolt URI of the server, without credentials
 * @param user      Neo4j user; unused when the password is empty
 * @param password  Neo4j password; empty connects without authentication. Never printed
 * @param database  database the documents go to
 * @param timeoutMs bound of each connection attempt and of each transaction, in milliseconds
 */
public record Neo4jSinkConfig(String uri, String user, String password, String database, long timeoutMs) implements StoreConfig {

    private static final Set<String> SCHEMES = Set.of("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc");
    /** Neo4j's own rule for database names. */
    private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9.\\-]{2,62}");

    public static final ConfigKey<String> URI_KEY = new ConfigKey<>("sink.neo4j.uri", "bolt://127.0.0.1:17687",
            "Bolt URI of the Neo4j server: bolt://, bolt+s://, neo4j:// or neo4j+s:// with host and port.", false,
            Neo4jSinkConfig::parseUri);
    public static final ConfigKey<String> USER = ConfigKey.string("sink.neo4j.user", "neo4j",
            "Neo4j user; not used when sink.neo4j.password is empty.");
    public static final ConfigKey<String> PASSWORD = ConfigKey.secret("sink.neo4j.password",
            "Password of the Neo4j user; empty connects without authentication.");
    public static final ConfigKey<String> DATABASE = new ConfigKey<>("sink.neo4j.database", "neo4j",
            "Neo4j database that receives the documents.", false, Neo4jSinkConfig::parseDatabase);
    public static final ConfigKey<Long> TIMEOUT_MS = ConfigKey.positiveLong("sink.neo4j.timeout.ms", 30_000,
            "Bound of each Neo4j connection attempt and transaction, in milliseconds; a call to a server that stops"
                    + " answering is given up a second later.");
    public static final List<ConfigKey<?>> KEYS = List.of(URI_KEY, USER, PASSWORD, DATABASE, TIMEOUT_MS);

    public Neo4jSinkConfig {
        password = password == null ? "" : password;
    }

    /** Reads every key; problems are left in the reader, which reports them all in {@link ConfigReader#finish()}. */
    public static Neo4jSinkConfig from(ConfigReader reader) {
        return new Neo4jSinkConfig(reader.get(URI_KEY), reader.get(USER), reader.get(PASSWORD), reader.get(DATABASE),
                reader.get(TIMEOUT_MS));
    }

    public Duration timeout() {
        return Duration.ofMillis(timeoutMs);
    }

    @Override
    public String toString() {
        return "Neo4jSinkConfig[uri=" + uri + ", user=" + user + ", password=" + (password.isEmpty() ? "" : "****")
                + ", database=" + database + ", timeoutMs=" + timeoutMs + "]";
    }

    private static String parseUri(String value) {
        String text = value.trim();
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("it must be a URI such as bolt://127.0.0.1:7687");
        }
        if (uri.getScheme() == null || !SCHEMES.contains(uri.getScheme())) {
            throw new IllegalArgumentException("its scheme must be one of " + SCHEMES.stream().sorted().toList());
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("it must name a host, as in bolt://127.0.0.1:7687");
        }
        if (uri.getRawUserInfo() != null) {
            // Also keeps the password out of every log line that prints the URI.
            throw new IllegalArgumentException("it must not carry credentials: set sink.neo4j.user and"
                    + " sink.neo4j.password instead");
        }
        return text;
    }

    private static String parseDatabase(String value) {
        String name = value.trim();
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("it must be a Neo4j database name: 3 to 63 letters, digits, dots"
                    + " or dashes, starting with a letter");
        }
        return name;
    }

    @Override
    public SinkName name() {
        return SinkName.NEO4J;
    }

    @Override
    public Sink openSink(int dimension) {
        return new Neo4jSink(this, dimension);
    }

    @Override
    public SinkReader openReader() {
        return new Neo4jReader(this);
    }

    @Override
    public PreflightCheck preflight(List<String> collections, int dimension, Duration callTimeout) {
        return new Neo4jCheck(this, collections, dimension, callTimeout);
    }

    @Override
    public CheckResult dimensionLimit(int dimension) {
        return StoreDimensions.limit(name().id(), dimension, Neo4jStatements.MAX_DIMENSION, "the most a Neo4j 5 vector index takes");
    }

    @Override
    public String server() {
        URI u = URI.create(uri);
        return u.getHost() + ":" + u.getPort();
    }

    @Override
    public String where(String collection) {
        return "neo4j    " + uri + ", nodes :" + collection + " (vector index, cosine)";
    }
}
