package io.vectorsync.migration.lag;

/** A figure of the lag could not be read; the message says which and why, for the snapshot's problem. */
final class LagReadException extends Exception {
    private static final long serialVersionUID = 1L;

    LagReadException(String message) {
        super(message);
    }

    LagReadException(String message, Throwable cause) {
        super(message, cause);
    }
}
