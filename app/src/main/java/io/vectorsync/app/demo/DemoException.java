package io.vectorsync.app.demo;

/** A demo or bench step that cannot go on; the message is printed as is, in one line, for a person to act on. */
public final class DemoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DemoException(String message) {
        super(message);
    }

    public DemoException(String message, Throwable cause) {
        super(message, cause);
    }
}
