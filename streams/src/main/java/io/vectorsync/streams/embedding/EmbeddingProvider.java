package io.vectorsync.streams.embedding;

import java.util.List;

/** Turns texts into vectors. Implementations are thread-confined to the stream thread that owns them. */
public interface EmbeddingProvider extends AutoCloseable {

    /** Identifies the model: a change of model re-embeds unchanged text. */
    String modelId();

    int dimension();

    /** One vector per text, in order. */
    List<float[]> embed(List<String> texts);

    @Override
    default void close() {
    }
}
