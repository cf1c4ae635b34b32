package io.vectorsync.validation;

/** The source database could not be reached or read; the message names it and says why. */
public class SourceUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SourceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
