package io.vectorsync.app.demo;

import io.vectorsync.app.Pipeline;
import io.vectorsync.sink.api.SinkUnavailableException;
import io.vectorsync.sink.pgvector.PgvectorReader;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Polls what a pgvector collection holds until a condition is met, a pipeline part fails, or time runs out, with a
 * message that says which. A collection that does not exist yet counts as empty: the sink creates it when it starts.
 */
public final class PgvectorWatch {
    /** A condition over the collection, read through the reader; may throw while the collection is not there. */
    public interface Condition {
        boolean test(PgvectorReader reader) throws SinkUnavailableException;
    }

    private final PgvectorReader reader;
    private final String collection;
    private final Pipeline pipeline;
    private final Duration interval;
    private String lastError;

    public PgvectorWatch(PgvectorReader reader, String collection, Pipeline pipeline, Duration interval) {
        this.reader = reader;
        this.collection = collection;
        this.pipeline = pipeline;
        this.interval = interval;
    }

    /** The row count, or empty while the collection cannot be read (not created yet). */
    public Optional<Long> count() {
        try {
            long n = reader.count(collection);
            lastError = null;
            return Optional.of(n);
        } catch (SinkUnavailableException e) {
            lastError = e.getMessage();
            return Optional.empty();
        }
    }

    /**
     * Waits until the collection holds {@code expected} rows and {@code also} holds, calling {@code onChange} with
     * every new count seen on the way.
     *
     * @throws DemoException on timeout or when a pipeline part failed
     */
    public void await(long expected, Condition also, Duration timeout, String what, LongConsumer onChange)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = -1;
        while (true) {
            checkPipeline();
            Optional<Long> n = count();
            if (n.isPresent() && n.get() != last) {
                last = n.get();
                onChange.accept(last);
            }
            if (n.isPresent() && n.get() == expected && holds(also)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                String holds = last < 0 ? "cannot be read yet" : "holds " + last + " rows";
                throw new DemoException("timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + " (pgvector collection '" + collection + "' " + holds
                        + (lastError == null ? "" : "; last error: " + lastError) + ")");
            }
            Thread.sleep(interval.toMillis());
        }
    }

    /** @throws DemoException when a part of the pipeline has stopped with an error */
    public void checkPipeline() {
        Optional<String> failure = pipeline.failure();
        if (failure.isPresent()) {
            throw new DemoException("the pipeline stopped: " + failure.get());
        }
    }

    private boolean holds(Condition c) {
        try {
            return c.test(reader);
        } catch (SinkUnavailableException e) {
            lastError = e.getMessage();
            return false;
        }
    }
}
