package io.vectorsync.sink.api;

/** The store failed in a way that may pass: retry the whole batch later, commit nothing. */
public class SinkUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    public SinkUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
