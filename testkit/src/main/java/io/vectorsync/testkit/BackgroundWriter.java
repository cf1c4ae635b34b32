package io.vectorsync.testkit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A test's writer thread: runs one write step at a steady pace until closed (or until a number of writes), and
 * never loses an error. The first exception a step throws stops the writer and is thrown back to the test, as an
 * {@link AssertionError} naming the writer, by {@link #close()}, {@link #resume()} and {@link #check()} — so a
 * {@code try (BackgroundWriter w = ...)} or an {@code @AfterAll} that closes it fails the test.
 *
 * <pre>{@code try (BackgroundWriter w = BackgroundWriter.start("rows", Duration.ofMillis(100), () -> insert(...))) {
 *     ...
 * }}</pre>
 */
public final class BackgroundWriter implements AutoCloseable {
    /** One write; an exception stops the writer and fails the test. */
    @FunctionalInterface
    public interface Step {
        void write() throws Exception;
    }

    private final String name;
    private final Duration pace;
    private final int maxWrites;
    private final Step step;
    private final ReentrantLock turn = new ReentrantLock();
    private final AtomicInteger writes = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    private BackgroundWriter(String name, Duration pace, int maxWrites, Step step) {
        this.name = name;
        this.pace = pace;
        this.maxWrites = maxWrites;
        this.step = step;
        this.thread = new Thread(this::run, "writer-" + name);
        thread.setDaemon(true);
    }

    /** Starts a writer that runs {@code step}, then waits {@code pace}, until closed. */
    public static BackgroundWriter start(String name, Duration pace, Step step) {
        return start(name, pace, Integer.MAX_VALUE, step);
    }

    /** Starts a writer that runs {@code step} at most {@code maxWrites} times, {@code pace} apart. */
    public static BackgroundWriter start(String name, Duration pace, int maxWrites, Step step) {
        BackgroundWriter writer = new BackgroundWriter(name, pace, maxWrites, step);
        writer.thread.start();
        return writer;
    }

    /** Writes completed so far. */
    public int writes() {
        return writes.get();
    }

    /** Whether the writer stopped by itself: after its last write, or on an error. */
    public boolean finished() {
        return !thread.isAlive();
    }

    /** Waits until the writer stopped by itself (its last write done, or an error), at most {@code timeout}. */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        thread.join(Math.max(1, timeout.toMillis()));
        return !thread.isAlive();
    }

    /** Returns once no write is in flight and holds the writer until {@link #resume()}: the source holds still. */
    public void pause() {
        check();
        turn.lock();
    }

    /** Lets a paused writer go on; throws if it had failed. */
    public void resume() {
        turn.unlock();
        check();
    }

    /** Throws the writer's error, if it had one. */
    public void check() {
        Throwable f = failure;
        if (f != null) {
            throw new AssertionError("background writer '" + name + "' failed after " + writes.get()
                    + " writes: " + f, f);
        }
    }

    /** Stops the writer, waits for the write in flight, and throws the writer's error if it had one. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while stopping background writer '" + name + "'", e);
        }
        if (thread.isAlive()) {
            throw new AssertionError("background writer '" + name + "' did not stop within 30 s");
        }
        check();
    }

    private void run() {
        while (running && writes.get() < maxWrites) {
            turn.lock();
            try {
                if (!running) {
                    return;
                }
                step.write();
                writes.incrementAndGet();
            } catch (InterruptedException e) {
                if (running) {
                    failure = e;
                }
                return;
            } catch (Throwable e) {
                if (running || !(interruptedWhileStopping(e))) {
                    failure = e;
                }
                return;
            } finally {
                turn.unlock();
            }
            try {
                // The writer's pace, not a wait for a condition.
                Thread.sleep(pace.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** A JDBC or I/O call cut short by {@link #close()}'s interrupt is the stop, not a failure. */
    private static boolean interruptedWhileStopping(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || t instanceof java.io.InterruptedIOException
                    || t instanceof java.nio.channels.ClosedByInterruptException) {
                return true;
            }
        }
        return false;
    }
}
