package io.vectorsync.streams.embedding;

/**
 * The provider gave no usable answer, for a reason that is not the texts' own: down, overloaded, too slow, refusing
 * the key, or answering with the wrong number or width of vectors. The changes wait (held pending) and are tried
 * again; none is dead-lettered for it.
 */
public final class EmbeddingUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why, as the {@code kind} tag of {@code vectorsync.embedding.provider.errors}. */
    public enum Kind {
        RATE_LIMITED("rate_limited"), SERVER_ERROR("server_error"), TIMEOUT("timeout"), CONNECTION("connection"),
        AUTH("auth"), NOT_FOUND("not_found"), BAD_DIMENSION("bad_dimension"), BAD_COUNT("bad_count"),
        BAD_RESPONSE("bad_response");

        private final String tag;

        Kind(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }

        /** Worth retrying the same request: the next answer may differ. Not so for a refused key or model. */
        public boolean retryable() {
            return this != AUTH && this != NOT_FOUND;
        }
    }

    private final Kind kind;

    public EmbeddingUnavailableException(Kind kind, String message) {
        this(kind, message, null);
    }

    public EmbeddingUnavailableException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
