package io.vectorsync.validation;

/**
 * A collection's checkpoint cannot be resumed: it is of a run with another scope, or not a checkpoint at all. The
 * message names the file and says what to do.
 */
public class CheckpointException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
