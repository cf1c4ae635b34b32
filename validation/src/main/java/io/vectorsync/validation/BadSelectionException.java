package io.vectorsync.validation;

/** {@code --collection} or {@code --store} names something that is not configured; the message lists what is. */
public class BadSelectionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadSelectionException(String message) {
        super(message);
    }
}
