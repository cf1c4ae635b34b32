package io.vectorsync.streams.embedding;

import io.vectorsync.core.config.ConfigException;
import io.vectorsync.core.config.ConfigProblem;
import io.vectorsync.core.config.EmbeddingConfig;

import java.util.List;

/** Creates the configured provider and checks it produces the configured dimension. */
public final class EmbeddingProviders {
    private EmbeddingProviders() {
    }

    public static EmbeddingProvider create(EmbeddingConfig config) {
        EmbeddingProvider provider = switch (config.provider()) {
            case MINILM -> new MiniLmEmbeddingProvider();
        };
        if (provider.dimension() != config.dimension()) {
            throw new ConfigException(List.of(new ConfigProblem(EmbeddingConfig.DIMENSION.name(),
                    Integer.toString(config.dimension()), "the model " + provider.modelId() + " produces "
                    + provider.dimension() + "-dimensional vectors")));
        }
        return provider;
    }
}
