package io.vectorsync.streams.embedding;

import java.util.List;

/**
 * Turns texts into vectors. One instance serves every stream thread of the process, so implementations are
 * thread-safe.
 */
public interface EmbeddingProvider extends AutoCloseable {

    /** Identifies the model: a change of model re-embeds unchanged text. */
    String modelId();

    int dimension();

    /**
     * One vector per text, in order. An HTTP provider throws {@link EmbeddingUnavailableException} when it cannot
     * answer now and {@link EmbeddingRejectedException} when it refuses the texts.
     */
    List<float[]> embed(List<String> texts);

    @Override
    default void close() {
    }
}
