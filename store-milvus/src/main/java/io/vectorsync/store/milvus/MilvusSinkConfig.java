package io.vectorsync.store.milvus;

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
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where the Milvus sink writes and how it indexes vectors.
 *
 * @param uri                the Milvus proxy, {@code http://host:port} (gRPC underneath)
 * @param token              {@code user:password} or an API key; empty when the server has no authentication; never
 *                           printed
 * @param database           Milvus database holding the collections; created if missing
 * @param indexType          index on the vector field
 * @param hnswM              HNSW {@code M}: links per node
 * @param hnswEfConstruction HNSW {@code efConstruction}: candidate list size while building
 * @param timeoutMs          deadline of every call to Milvus, so a hung server fails the batch instead of blocking it
 */
public record MilvusSinkConfig(String uri, String token, String database, IndexType indexType, int hnswM,
                               int hnswEfConstruction, int timeoutMs) implements StoreConfig {

    /** Index types the sink builds on the vector field; both use cosine similarity. */
    public enum IndexType {
        /** Approximate, graph based: the default. */
        HNSW,
        /** Exact brute force: for small collections, or to rule the index out. */
        FLAT
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,254}");

    public static final ConfigKey<String> URI_KEY = new ConfigKey<>("sink.milvus.uri", "http://127.0.0.1:19530",
            "Milvus proxy address, http://host:port (https:// for TLS).", false, MilvusSinkConfig::uri);
    public static final ConfigKey<String> TOKEN = ConfigKey.secret("sink.milvus.token",
            "Milvus credentials, user:password or an API key; empty when the server has no authentication.");
    public static final ConfigKey<String> DATABASE = new ConfigKey<>("sink.milvus.database", "default",
            "Milvus database that holds one collection per mapping; created if missing.", false,
            MilvusSinkConfig::name);
    public static final ConfigKey<IndexType> INDEX_TYPE = ConfigKey.enumKey("sink.milvus.index.type", IndexType.HNSW,
            IndexType.class, Enum::name, "Index on the vector field (cosine similarity): HNSW or FLAT (exact).");
    // Ranges are Milvus's own limits, so a bad value fails at start-up rather than at createIndex.
    public static final ConfigKey<Integer> HNSW_M = ConfigKey.intInRange("sink.milvus.hnsw.m", 16, 2, 2048,
            "HNSW index: links per node (Milvus allows 2 to 2048).");
    public static final ConfigKey<Integer> HNSW_EF_CONSTRUCTION = ConfigKey.intInRange(
            "sink.milvus.hnsw.ef.construction", 64, 1, 65_535,
            "HNSW index: candidate list size while building.");
    public static final ConfigKey<Integer> TIMEOUT_MS = ConfigKey.intInRange("sink.milvus.timeout.ms", 30_000, 100,
            3_600_000, "Deadline of every call to Milvus in milliseconds (connecting: at most 5000); a batch whose call"
            + " runs out is retried.");
    public static final List<ConfigKey<?>> KEYS = List.of(URI_KEY, TOKEN, DATABASE, INDEX_TYPE, HNSW_M,
            HNSW_EF_CONSTRUCTION, TIMEOUT_MS);

    public MilvusSinkConfig {
        token = token == null ? "" : token;
    }

    /** Reads every key; problems are left in the reader, which reports them all in {@link ConfigReader#finish()}. */
    public static MilvusSinkConfig from(ConfigReader reader) {
        return new MilvusSinkConfig(reader.get(URI_KEY), reader.get(TOKEN), reader.get(DATABASE),
                reader.get(INDEX_TYPE), reader.get(HNSW_M), reader.get(HNSW_EF_CONSTRUCTION), reader.get(TIMEOUT_MS));
    }

    /** The URI without any user info, which may carry credentials: safe to log. */
    public String safeUri() {
        if (uri == null) {
            return null;
        }
        int scheme = uri.indexOf("://");
        int at = uri.lastIndexOf('@');
        return scheme >= 0 && at > scheme ? uri.substring(0, scheme + 3) + "****@" + uri.substring(at + 1) : uri;
    }

    /** What the index settings say, for log lines. */
    public String indexDescription() {
        return indexType == IndexType.HNSW
                ? "HNSW m=" + hnswM + ", ef_construction=" + hnswEfConstruction
                : indexType.name();
    }

    @Override
    public String toString() {
        return "MilvusSinkConfig[uri=" + safeUri() + ", token=" + (token.isEmpty() ? "" : "****") + ", database="
                + database + ", indexType=" + indexType + ", hnswM=" + hnswM + ", hnswEfConstruction="
                + hnswEfConstruction + ", timeoutMs=" + timeoutMs + "]";
    }

    private static String uri(String value) {
        String text = value.trim();
        if (!text.contains("://")) {
            throw new IllegalArgumentException("it must start with http:// or https://, like http://127.0.0.1:19530");
        }
        URI parsed;
        try {
            parsed = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("it must be a URI like http://127.0.0.1:19530");
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("it must start with http:// or https://, like http://127.0.0.1:19530");
        }
        if (parsed.getHost() == null || parsed.getHost().isBlank()) {
            throw new IllegalArgumentException("it must name a host, like http://127.0.0.1:19530");
        }
        return text;
    }

    private static String name(String value) {
        String name = value.trim();
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "it must be a Milvus name matching [A-Za-z_][A-Za-z0-9_]* of at most 255 characters");
        }
        return name;
    }

    @Override
    public SinkName name() {
        return SinkName.MILVUS;
    }

    @Override
    public Sink openSink(int dimension) {
        return new MilvusSink(this, dimension);
    }

    @Override
    public SinkReader openReader() {
        return new MilvusReader(this);
    }

    @Override
    public PreflightCheck preflight(List<String> collections, int dimension, Duration callTimeout) {
        return new MilvusCheck(this, collections, dimension, callTimeout);
    }

    @Override
    public CheckResult dimensionLimit(int dimension) {
        return StoreDimensions.limit(name().id(), dimension, MilvusSchema.MAX_DIMENSION, "the most Milvus 2.3 indexes");
    }

    @Override
    public String server() {
        URI u = URI.create(uri);
        return u.getHost() + ":" + u.getPort();
    }

    @Override
    public String where(String collection) {
        return "milvus   " + uri + ", collection " + collection + " (HNSW index, cosine)";
    }
}
