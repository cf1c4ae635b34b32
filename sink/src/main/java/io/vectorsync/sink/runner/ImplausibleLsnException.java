package io.vectorsync.sink.runner;

/** A change claiming a WAL position the source has not reached; the message travels in the dead letter's headers. */
final class ImplausibleLsnException extends Exception {
    private static final long serialVersionUID = 1L;

    ImplausibleLsnException(String message) {
        super(message);
    }
}
