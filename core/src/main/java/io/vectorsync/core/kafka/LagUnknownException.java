package io.vectorsync.core.kafka;

/** Consumer lag could not be measured; the message says why, for a gate refusal. */
public final class LagUnknownException extends Exception {
    private static final long serialVersionUID = 1L;

    public LagUnknownException(String message, Throwable cause) {
        super(message, cause);
    }
}
