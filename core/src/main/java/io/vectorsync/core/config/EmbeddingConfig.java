package io.vectorsync.core.config;

import java.util.ArrayList;
import java.util.List;

/**
 * How text becomes vectors. The dimension is shared by the embedding step and every sink; the streams worker checks
 * at start-up that the model really produces it.
 */
public record EmbeddingConfig(Provider provider, int dimension, int batchSize, long batchMaxWaitMs,
                              EmbeddingEndpoint endpoint) {

    public enum Provider {
        /** all-MiniLM-L6-v2, quantized, in-process ONNX, offline (384 dimensions). */
        MINILM("minilm"),
        /** The OpenAI embeddings wire format (/v1/embeddings): OpenAI, Azure OpenAI, vLLM, TEI, LiteLLM, Ollama's. */
        OPENAI("openai"),
        /** Ollama's native /api/embed. */
        OLLAMA("ollama");

        private final String id;

        Provider(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        /** Reached over HTTP at {@code embedding.url}, as opposed to run in-process. */
        public boolean http() {
            return this == OPENAI || this == OLLAMA;
        }
    }

    public static final ConfigKey<Provider> PROVIDER = ConfigKey.enumKey("embedding.provider", Provider.MINILM,
            Provider.class, Provider::id, "Embedding provider: minilm (in-process, offline), openai (the OpenAI embeddings wire"
                    + " format), ollama (Ollama's /api/embed); see docs/embeddings.md.");
    public static final ConfigKey<Integer> DIMENSION = ConfigKey.positiveInt("embedding.dimension", 384,
            "Vector dimension; must match the model and every sink.");
    public static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.intInRange("embedding.batch.size", 64, 1, 4096,
            "Texts sent to the model in one batch (one request to an HTTP provider), at most.");
    public static final ConfigKey<Long> BATCH_MAX_WAIT_MS = ConfigKey.positiveLong("embedding.batch.max.wait.ms", 100,
            "Longest a change waits for its batch to fill before it is embedded anyway.");
    public static final List<ConfigKey<?>> KEYS = keys();

    private static List<ConfigKey<?>> keys() {
        List<ConfigKey<?>> keys = new ArrayList<>(List.of(PROVIDER, DIMENSION, BATCH_SIZE,
                BATCH_MAX_WAIT_MS));
        keys.addAll(EmbeddingEndpoint.KEYS);
        return List.copyOf(keys);
    }

    /** This configuration reaching its provider as {@code other} says. */
    public EmbeddingConfig withEndpoint(EmbeddingEndpoint other) {
        return new EmbeddingConfig(provider, dimension, batchSize, batchMaxWaitMs, other);
    }

    public static EmbeddingConfig from(ConfigReader reader) {
        Provider provider = reader.get(PROVIDER);
        return new EmbeddingConfig(provider, reader.get(DIMENSION), reader.get(BATCH_SIZE),
                reader.get(BATCH_MAX_WAIT_MS), EmbeddingEndpoint.from(reader, provider.http(), provider.id()));
    }
}
