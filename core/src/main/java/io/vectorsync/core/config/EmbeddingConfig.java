package io.vectorsync.core.config;

import java.util.List;

/**
 * How text becomes vectors. The dimension is shared by the embedding step and every sink; the streams worker checks
 * at start-up that the model really produces it.
 */
public record EmbeddingConfig(Provider provider, int dimension, int batchSize, long batchMaxWaitMs) {

    public enum Provider {
        /** all-MiniLM-L6-v2, quantized, in-process ONNX, offline (384 dimensions). */
        MINILM("minilm");

        private final String id;

        Provider(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    public static final ConfigKey<Provider> PROVIDER = ConfigKey.enumKey("embedding.provider", Provider.MINILM,
            Provider.class, Provider::id, "Embedding provider.");
    public static final ConfigKey<Integer> DIMENSION = ConfigKey.positiveInt("embedding.dimension", 384,
            "Vector dimension; must match the model and every sink.");
    public static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.intInRange("embedding.batch.size", 64, 1, 4096,
            "Texts sent to the model in one batch, at most.");
    public static final ConfigKey<Long> BATCH_MAX_WAIT_MS = ConfigKey.positiveLong("embedding.batch.max.wait.ms", 100,
            "Longest a change waits for its batch to fill before it is embedded anyway.");
    public static final List<ConfigKey<?>> KEYS = List.of(PROVIDER, DIMENSION, BATCH_SIZE, BATCH_MAX_WAIT_MS);

    public static EmbeddingConfig from(ConfigReader reader) {
        return new EmbeddingConfig(reader.get(PROVIDER), reader.get(DIMENSION), reader.get(BATCH_SIZE),
                reader.get(BATCH_MAX_WAIT_MS));
    }
}
