package io.vectorsync.app.demo;

import java.io.PrintStream;
import java.time.Duration;

/** The demo's and bench's own output: numbered steps and indented detail lines, flushed at once. */
public final class StepPrinter {
    private static final String INDENT = "      ";

    private final PrintStream out;
    private final int steps;
    private int step;

    public StepPrinter(PrintStream out, int steps) {
        this.out = out;
        this.steps = steps;
    }

    public void step(String text) {
        step++;
        out.printf("%n[%d/%d] %s%n", step, steps, text);
        out.flush();
    }

    public void line(String text) {
        out.println(INDENT + text);
        out.flush();
    }

    /** A line without indentation or numbering. */
    public void plain(String text) {
        out.println(text);
        out.flush();
    }

    public static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }

    public static String seconds(long nanos) {
        return seconds(Duration.ofNanos(nanos));
    }
}
