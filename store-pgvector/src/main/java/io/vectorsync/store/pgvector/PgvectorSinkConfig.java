package io.vectorsync.store.pgvector;

import io.vectorsync.core.config.ConfigKey;
import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.config.PostgresTls;
import io.vectorsync.core.model.Identifiers;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.Sink;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.sink.preflight.CheckResult;
import io.vectorsync.sink.preflight.PreflightCheck;
import io.vectorsync.sink.preflight.StoreDimensions;
import io.vectorsync.sink.spi.StoreConfig;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the pgvector sink writes and how it builds its HNSW indexes.
 *
 * @param url                JDBC URL of the target database
 * @param user               database user
 * @param password           database password; never printed
 * @param schema             schema holding the collection tables, a validated identifier
 * @param hnswM              HNSW {@code m}: links per node
 * @param hnswEfConstruction HNSW {@code ef_construction}: candidate list size while building
 * @param timeoutMs          bound of connecting and of every statement, so a hung server fails the call
 * @param tls                TLS to the pgvector database ({@code sink.pgvector.ssl*}); settings in the URL win
 * @param textSearchConfig   PostgreSQL text search configuration of keyword search ({@code english}, {@code simple},
 *                           …): how the generated {@code tsvector} column and the queries split and stem words
 */
public record PgvectorSinkConfig(String url, String user, String password, String schema, int hnswM,
                                 int hnswEfConstruction, int timeoutMs, PostgresTls tls, String textSearchConfig)
        implements StoreConfig {
    /** The text search configuration unless {@link #TEXT_SEARCH_CONFIG} says otherwise. */
    public static final String DEFAULT_TEXT_SEARCH_CONFIG = "english";

    public static final ConfigKey<String> URL = ConfigKey.string("sink.pgvector.url",
            "jdbc:postgresql://127.0.0.1:55432/vectors", "JDBC URL of the pgvector database.");
    public static final ConfigKey<String> USER = ConfigKey.string("sink.pgvector.user", "postgres",
            "User of the pgvector database.");
    public static final ConfigKey<String> PASSWORD = ConfigKey.secret("sink.pgvector.password",
            "Password of the pgvector database.");
    public static final ConfigKey<String> SCHEMA = new ConfigKey<>("sink.pgvector.schema", "public",
            "Schema that holds one table per collection; created if missing.", false,
            PgvectorSinkConfig::identifier);
    // Ranges are pgvector's own limits, so a bad value fails at start-up rather than at CREATE INDEX.
    public static final ConfigKey<Integer> HNSW_M = ConfigKey.intInRange("sink.pgvector.hnsw.m", 16, 2, 100,
            "HNSW index: links per node (pgvector allows 2 to 100).");
    public static final ConfigKey<Integer> HNSW_EF_CONSTRUCTION = ConfigKey.intInRange(
            "sink.pgvector.hnsw.ef.construction", 64, 4, 1000,
            "HNSW index: candidate list size while building; at least twice sink.pgvector.hnsw.m.");
    // At least a second: the driver counts its connect, login and socket timeouts in whole seconds.
    public static final ConfigKey<Integer> TIMEOUT_MS = ConfigKey.intInRange("sink.pgvector.timeout.ms", 30_000,
            1_000, 3_600_000, "Bound of each connection attempt and each statement to pgvector, in milliseconds:"
                    + " statement_timeout, and the driver's connect and login timeouts in whole seconds (rounded up);"
                    + " a server that stops answering is cut off a second later. A failed batch is retried.");
    public static final PostgresTls.Keys TLS = PostgresTls.keys("sink.pgvector.", "the pgvector database");
    public static final ConfigKey<String> TEXT_SEARCH_CONFIG = new ConfigKey<>("sink.pgvector.text.search.config",
            DEFAULT_TEXT_SEARCH_CONFIG, "PostgreSQL text search configuration of keyword and hybrid search (a name"
                    + " from pg_ts_config: english, simple, german, ...): how each collection's generated tsvector"
                    + " column and its queries split and stem words. Checked against the database at start and by"
                    + " preflight. A table built with another configuration is refused, naming the column to drop.",
            false, PgvectorSinkConfig::identifier);
    public static final List<ConfigKey<?>> KEYS = Stream.concat(Stream.of(URL, USER, PASSWORD, SCHEMA, HNSW_M,
            HNSW_EF_CONSTRUCTION, TIMEOUT_MS, TEXT_SEARCH_CONFIG), TLS.all().stream()).toList();

    public PgvectorSinkConfig {
        password = password == null ? "" : password;
        tls = tls == null ? PostgresTls.DEFAULT : tls;
        textSearchConfig = textSearchConfig == null ? DEFAULT_TEXT_SEARCH_CONFIG : textSearchConfig;
    }

    /** A configuration with the given TLS and the default text search configuration. */
    public PgvectorSinkConfig(String url, String user, String password, String schema, int hnswM,
                              int hnswEfConstruction, int timeoutMs, PostgresTls tls) {
        this(url, user, password, schema, hnswM, hnswEfConstruction, timeoutMs, tls, DEFAULT_TEXT_SEARCH_CONFIG);
    }

    /** A configuration with the driver's default TLS (prefer). */
    public PgvectorSinkConfig(String url, String user, String password, String schema, int hnswM,
                              int hnswEfConstruction, int timeoutMs) {
        this(url, user, password, schema, hnswM, hnswEfConstruction, timeoutMs, PostgresTls.DEFAULT);
    }

    /** Reads every key; problems are left in the reader, which reports them all in {@link ConfigReader#finish()}. */
    public static PgvectorSinkConfig from(ConfigReader reader) {
        String url = reader.get(URL);
        String user = reader.get(USER);
        String password = reader.get(PASSWORD);
        String schema = reader.get(SCHEMA);
        int m = reader.get(HNSW_M);
        int ef = reader.get(HNSW_EF_CONSTRUCTION);
        int timeoutMs = reader.get(TIMEOUT_MS);
        PostgresTls tls = PostgresTls.from(reader, TLS);
        String textSearch = reader.get(TEXT_SEARCH_CONFIG);
        if (!reader.hasProblem(HNSW_M) && !reader.hasProblem(HNSW_EF_CONSTRUCTION) && ef < 2 * m) {
            reader.problem(HNSW_EF_CONSTRUCTION.name(), Integer.toString(ef),
                    "pgvector needs it to be at least twice " + HNSW_M.name() + " (" + m + "), so at least " + 2 * m);
        }
        return new PgvectorSinkConfig(url, user, password, schema, m, ef, timeoutMs, tls, textSearch);
    }

    /** The URL without its query string, which may carry credentials: safe to log. */
    public String safeUrl() {
        if (url == null) {
            return null;
        }
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?****";
    }

    @Override
    public String toString() {
        return "PgvectorSinkConfig[url=" + safeUrl() + ", user=" + user + ", password="
                + (password.isEmpty() ? "" : "****") + ", schema=" + schema + ", hnswM=" + hnswM
                + ", hnswEfConstruction=" + hnswEfConstruction + ", timeoutMs=" + timeoutMs + ", sslmode=" + tls.mode().id()
                + ", textSearchConfig=" + textSearchConfig + "]";
    }

    private static String identifier(String value) {
        String name = value.trim();
        if (!Identifiers.isValid(name)) {
            throw new IllegalArgumentException(
                    "it must be an SQL identifier matching [A-Za-z_][A-Za-z0-9_]* of at most 63 characters");
        }
        return name;
    }

    @Override
    public SinkName name() {
        return SinkName.PGVECTOR;
    }

    @Override
    public Sink openSink(int dimension) {
        return new PgvectorSink(this, dimension);
    }

    @Override
    public SinkReader openReader() {
        return new PgvectorReader(this);
    }

    @Override
    public PreflightCheck preflight(List<String> collections, int dimension, Duration callTimeout) {
        return new PgvectorCheck(this, collections, dimension, callTimeout);
    }

    @Override
    public CheckResult dimensionLimit(int dimension) {
        return StoreDimensions.limit(name().id(), dimension, PgvectorSink.MAX_INDEXED_DIMENSION, "the most an HNSW index on a vector column takes");
    }

    /** The URL without {@code jdbc:} and its query string, as a URI: host, port and database. */
    private URI jdbcUri() {
        String plain = url.startsWith("jdbc:") ? url.substring(5) : url;
        int q = plain.indexOf('?');
        return URI.create(q < 0 ? plain : plain.substring(0, q));
    }

    @Override
    public String server() {
        URI u = jdbcUri();
        return u.getHost() + ":" + (u.getPort() > 0 ? u.getPort() : 5432);
    }

    @Override
    public String where(String collection) {
        return "pgvector " + jdbcUri().getPath().replaceFirst("^/", "") + "." + schema + "." + collection
                + " (HNSW index, cosine)";
    }
}
