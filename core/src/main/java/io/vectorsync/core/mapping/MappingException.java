package io.vectorsync.core.mapping;

/** A change that can never become a document; it goes to the dead-letter topic with this message. */
public final class MappingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MappingException(String message) {
        super(message);
    }
}
