package io.vectorsync.sink.runner;

/** Why a store refused a change for good; the message travels in the dead letter's headers. */
final class RejectedChangeException extends Exception {
    private static final long serialVersionUID = 1L;

    RejectedChangeException(String message) {
        super(message);
    }
}
