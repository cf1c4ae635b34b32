package io.vectorsync.connector;

import io.vectorsync.core.model.TableId;
import io.vectorsync.core.snapshot.SnapshotProgress;
import io.vectorsync.core.snapshot.SnapshotProgress.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Counts the rows of each table's initial snapshot as they are published and turns them into
 * {@link SnapshotProgress}: rows done of rows expected ({@link RowEstimate}, asked once, when the table's first row
 * arrives), rate and ETA. The engine's thread only counts; {@link #report()}, run on the connector's progress thread
 * every {@code source.backfill.progress.interval.ms}, publishes what changed and logs a line at most every
 * {@link #LOG_EVERY_MS}. When a table's last row (as Debezium marks it) arrives, the table is COMPLETED and its
 * expected rows become the rows actually read.
 */
public final class InitialSnapshotTracker implements SnapshotListener {
    private static final Logger LOG = LoggerFactory.getLogger(InitialSnapshotTracker.class);
    static final long LOG_EVERY_MS = 10_000;

    /** Asks the expected rows of a table; -1 when unknown. May be slow: called off the engine's thread. */
    @FunctionalInterface
    public interface Expected {
        long rows(TableId table) throws Exception;
    }

    private static final class Table {
        final TableId id;
        final long startedAtMs;
        final AtomicLong done = new AtomicLong();
        volatile long expected = -1;
        volatile boolean completed;
        volatile boolean estimated;
        long publishedDone = -1;
        boolean publishedCompleted;
        long loggedAtMs;

        Table(TableId id, long startedAtMs) {
            this.id = id;
            this.startedAtMs = startedAtMs;
            this.loggedAtMs = startedAtMs;
        }
    }

    private final Map<TableId, Table> tables = new ConcurrentHashMap<>();
    private final Expected expected;
    private final Consumer<SnapshotProgress> publish;
    private final LongSupplier clock;

    /**
     * @param publish sends one table's progress (to {@code Topics.snapshotProgress()}); called on the thread of
     *                {@link #report()}
     */
    public InitialSnapshotTracker(Expected expected, Consumer<SnapshotProgress> publish, LongSupplier clock) {
        this.expected = expected;
        this.publish = publish;
        this.clock = clock;
    }

    @Override
    public void snapshotRow(TableId table) {
    }

    @Override
    public void notified(SnapshotNotification notification) {
    }

    @Override
    public void initialSnapshotRow(TableId table, boolean lastOfTable) {
        Table t = tables.computeIfAbsent(table, id -> new Table(id, clock.getAsLong()));
        t.done.incrementAndGet();
        if (lastOfTable) {
            t.completed = true;
        }
    }

    /**
     * Publishes every table whose figures moved since the last report (and asks a new table's expected rows first),
     * logging a line per running table at most every {@link #LOG_EVERY_MS} and once at completion. Never throws.
     */
    public void report() {
        long now = clock.getAsLong();
        for (Table t : tables.values()) {
            try {
                report(t, now);
            } catch (RuntimeException e) {
                LOG.warn("initial snapshot progress of {} could not be reported: {}", t.id, e.toString());
            }
        }
    }

    private void report(Table t, long now) {
        if (!t.estimated) {
            t.estimated = true;
            try {
                t.expected = expected.rows(t.id);
            } catch (Exception e) {
                LOG.warn("the expected rows of {} are unknown: {}", t.id, e.getMessage());
            }
        }
        SnapshotProgress p = progress(t, now);
        if (t.publishedCompleted || (p.rowsDone() == t.publishedDone && p.state() == State.RUNNING)) {
            return;
        }
        publish.accept(p);
        t.publishedDone = p.rowsDone();
        t.publishedCompleted = p.state() == State.COMPLETED;
        if (p.state() == State.COMPLETED) {
            LOG.info("initial snapshot of {}", p.describe());
        } else if (now - t.loggedAtMs >= LOG_EVERY_MS) {
            t.loggedAtMs = now;
            LOG.info("initial snapshot of {}", p.describe());
        }
    }

    /** Every table's progress now, as the next report would publish it. */
    public List<SnapshotProgress> progress() {
        long now = clock.getAsLong();
        return tables.values().stream().map(t -> progress(t, now)).toList();
    }

    private static SnapshotProgress progress(Table t, long now) {
        // Read completed before done: the last row is counted before it marks the table completed.
        boolean completed = t.completed;
        long done = t.done.get();
        return new SnapshotProgress(t.id.toString(), completed ? State.COMPLETED : State.RUNNING, done,
                completed ? done : t.expected, t.startedAtMs, now);
    }
}
