package io.vectorsync.streams.embedding;

/**
 * The provider refused these texts (400, 413, 422: too long, say): retrying the same request will not help, but each
 * text alone may pass, so the caller embeds them one by one and dead-letters the ones refused alone.
 */
public final class EmbeddingRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EmbeddingRejectedException(String message) {
        super(message);
    }
}
