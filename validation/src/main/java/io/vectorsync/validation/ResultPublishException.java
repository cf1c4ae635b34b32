package io.vectorsync.validation;

/** Validation results could not be published; the message names the topic and says why. */
public class ResultPublishException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ResultPublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
