package io.vectorsync.app.demo;

import io.vectorsync.app.pipeline.Pipeline;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.sink.api.SinkUnavailableException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Polls what a collection holds in every store it is written to until a condition holds in all of them, a pipeline
 * part fails, or time runs out, with a message that says which. A collection a store cannot read yet counts as not
 * there: each sink creates it when it starts.
 */
public final class StoreWatch {
    /** A condition over the collection, read through one store's reader. */
    public interface Condition {
        boolean test(SinkReader reader) throws SinkUnavailableException;
    }

    private final List<SinkReader> readers;
    private final String collection;
    private final Pipeline pipeline;
    private final Duration interval;
    private final Map<SinkName, String> lastErrors = new LinkedHashMap<>();

    public StoreWatch(List<SinkReader> readers, String collection, Pipeline pipeline, Duration interval) {
        this.readers = List.copyOf(readers);
        this.collection = collection;
        this.pipeline = pipeline;
        this.interval = interval;
    }

    /** Each store's document count; a store that cannot be read yet is absent. */
    public Map<SinkName, Long> counts() {
        Map<SinkName, Long> counts = new LinkedHashMap<>();
        for (SinkReader reader : readers) {
            try {
                counts.put(reader.name(), reader.count(collection));
                lastErrors.remove(reader.name());
            } catch (SinkUnavailableException e) {
                lastErrors.put(reader.name(), e.getMessage());
            }
        }
        return counts;
    }

    /**
     * Waits until every store holds {@code expected} documents and {@code also} holds in each, calling
     * {@code onChange} with the counts whenever they change.
     *
     * @throws DemoException on timeout or when a pipeline part failed
     */
    public void await(long expected, Condition also, Duration timeout, String what,
                      Consumer<Map<SinkName, Long>> onChange) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<SinkName, Long> last = Map.of();
        while (true) {
            checkPipeline();
            Map<SinkName, Long> counts = counts();
            if (!counts.equals(last)) {
                last = counts;
                onChange.accept(counts);
            }
            if (done(counts, expected, also)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new DemoException("timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + " (collection '" + collection + "': " + describe(counts) + ")");
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

    /** "pgvector 20, neo4j 18, milvus 20". */
    public static String format(Map<SinkName, Long> counts) {
        List<String> parts = new ArrayList<>();
        counts.forEach((store, n) -> parts.add(store + " " + n));
        return String.join(", ", parts);
    }

    private boolean done(Map<SinkName, Long> counts, long expected, Condition also) {
        if (counts.size() != readers.size() || counts.values().stream().anyMatch(n -> n != expected)) {
            return false;
        }
        for (SinkReader reader : readers) {
            try {
                if (!also.test(reader)) {
                    return false;
                }
            } catch (SinkUnavailableException e) {
                lastErrors.put(reader.name(), e.getMessage());
                return false;
            }
        }
        return true;
    }

    private String describe(Map<SinkName, Long> counts) {
        List<String> parts = new ArrayList<>();
        for (SinkReader reader : readers) {
            Long n = counts.get(reader.name());
            String error = lastErrors.get(reader.name());
            parts.add(reader.name() + (n == null ? " cannot be read yet" : " holds " + n)
                    + (error == null ? "" : " (last error: " + error + ")"));
        }
        return String.join("; ", parts);
    }
}
