package io.vectorsync.sink.preflight;

/** Short, one-line descriptions of what a client threw, for the DETAIL column. */
public final class Failures {
    private static final int MAX_LENGTH = 300;

    private Failures() {
    }

    /**
     * The innermost message along the cause chain (drivers wrap "Connection refused" several levels deep), with the
     * exception's class when it says nothing else, on one line and cut to a readable length.
     */
    public static String describe(Throwable e) {
        Throwable deepest = e;
        String message = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            deepest = t;
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        String text = message == null ? deepest.getClass().getSimpleName() : message;
        text = text.replaceAll("\\s+", " ").trim();
        return text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH) + "..." : text;
    }
}
