package io.vectorsync.streams.embedding;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.core.config.ConfigException;
import io.vectorsync.core.config.ConfigProblem;
import io.vectorsync.core.config.EmbeddingConfig;

import java.time.Clock;
import java.util.List;

/**
 * Creates the configured provider and checks it produces the configured dimension (an HTTP provider's dimension is
 * checked on every answer and by preflight's probe). The one registration point of a provider.
 */
public final class EmbeddingProviders {
    private EmbeddingProviders() {
    }

    /** The provider, its meters in a registry of its own (for one-off users: search, validate, bench). */
    public static EmbeddingProvider create(EmbeddingConfig config) {
        return create(config, new SimpleMeterRegistry());
    }

    public static EmbeddingProvider create(EmbeddingConfig config, MeterRegistry registry) {
        EmbeddingProvider provider = switch (config.provider()) {
            case MINILM -> new MiniLmEmbeddingProvider();
            case OPENAI -> http(new OpenAiWireFormat(config.endpoint(), config.dimension()), config, registry);
            case OLLAMA -> http(new OllamaWireFormat(config.endpoint(), config.dimension()), config, registry);
        };
        if (provider.dimension() != config.dimension()) {
            throw new ConfigException(List.of(new ConfigProblem(EmbeddingConfig.DIMENSION.name(),
                    Integer.toString(config.dimension()), "the model " + provider.modelId() + " produces "
                    + provider.dimension() + "-dimensional vectors")));
        }
        return provider;
    }

    private static EmbeddingProvider http(WireFormat format, EmbeddingConfig config, MeterRegistry registry) {
        return new HttpEmbeddingProvider(format, config.endpoint(), config.dimension(), config.batchSize(), registry,
                d -> Thread.sleep(d.toMillis()), Clock.systemUTC());
    }
}
