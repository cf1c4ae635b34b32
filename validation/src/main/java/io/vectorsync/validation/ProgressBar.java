package io.vectorsync.validation;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress on stderr (never stdout, which carries the report): done/total, percent and rate. On a terminal the line
 * is redrawn in place with {@code \r}; otherwise (a log, a pipe) a line is written at most every
 * {@link #LINE_INTERVAL}, and once when the step finishes.
 */
public final class ProgressBar {
    static final Duration LINE_INTERVAL = Duration.ofSeconds(5);
    private static final int WIDTH = 24;

    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier nanoTime;
    private String label;
    private String unit;
    private long total;
    private long from;
    private long done;
    private long startedAt;
    private long lastLineAt;
    private int drawn;
    private boolean active;

    /**
     * @param terminal whether {@code out} is a terminal ({@code System.console() != null})
     * @param nanoTime the clock, {@code System::nanoTime} outside tests
     */
    public ProgressBar(PrintStream out, boolean terminal, LongSupplier nanoTime) {
        this.out = out;
        this.terminal = terminal;
        this.nanoTime = nanoTime;
    }

    /** A bar that prints nothing. */
    public static ProgressBar silent() {
        return new ProgressBar(new PrintStream(PrintStream.nullOutputStream()), false, System::nanoTime);
    }

    /**
     * Starts a step.
     *
     * @param total what {@code done} counts up to, or a negative number when unknown
     */
    public void start(String label, long total, String unit) {
        start(label, total, unit, 0);
    }

    /**
     * Starts a step that resumes at {@code from} done: the rate counts only what is done from now on.
     *
     * @param total what {@code done} counts up to, or a negative number when unknown
     */
    public void start(String label, long total, String unit, long from) {
        finish();
        this.label = label;
        this.unit = unit;
        this.total = total;
        this.from = from;
        this.done = from;
        this.startedAt = nanoTime.getAsLong();
        this.lastLineAt = startedAt;
        this.active = true;
        if (terminal) {
            draw();
        }
    }

    public void update(long done) {
        if (!active) {
            return;
        }
        this.done = done;
        long now = nanoTime.getAsLong();
        if (terminal) {
            draw();
        } else if (now - lastLineAt >= LINE_INTERVAL.toNanos()) {
            lastLineAt = now;
            out.println(line());
        }
    }

    /** Ends the step with its final figures on a line of their own. */
    public void finish() {
        if (!active) {
            return;
        }
        active = false;
        if (terminal) {
            draw();
            out.println();
        } else {
            out.println(line());
        }
        out.flush();
    }

    private void draw() {
        String line = line();
        // Pad over what the previous, possibly longer, line left on the screen.
        out.print("\r" + line + " ".repeat(Math.max(0, drawn - line.length())));
        out.flush();
        drawn = line.length();
    }

    private String line() {
        double seconds = (nanoTime.getAsLong() - startedAt) / 1e9;
        return render(label, done, total, unit, seconds > 0 ? (done - from) / seconds : 0);
    }

    /** {@code validate docs [##########--------------] 120/288 41% 57 rows/s}. */
    static String render(String label, long done, long total, String unit, double perSecond) {
        StringBuilder line = new StringBuilder(label).append(' ');
        if (total > 0) {
            long percent = Math.min(100, done * 100 / total);
            int filled = (int) (percent * WIDTH / 100);
            line.append('[').append("#".repeat(filled)).append("-".repeat(WIDTH - filled)).append("] ")
                    .append(done).append('/').append(total).append(' ').append(unit).append(' ')
                    .append(percent).append('%');
        } else {
            line.append(done).append(' ').append(unit);
        }
        return line.append(' ').append(String.format(Locale.ROOT, "%.0f %s/s", perSecond, unit)).toString();
    }
}
