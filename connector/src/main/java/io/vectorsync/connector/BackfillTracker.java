package io.vectorsync.connector;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vectorsync.core.mode.Backfill.State;
import io.vectorsync.core.mode.BackfillProgress;
import io.vectorsync.core.model.TableId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;

/**
 * The running backfills, at most one per table: counts the rows their snapshots emit, learns from Debezium's
 * notifications when they end, and sends their progress. The engine's thread reports rows and notifications while
 * the {@link BackfillRunner}'s thread starts backfills and sends periodic progress; every send happens under this
 * object's lock, so a backfill's progress reaches Kafka in the order it was decided and a late RUNNING can never
 * follow its COMPLETED.
 */
final class BackfillTracker implements SnapshotListener {
    private static final Logger LOG = LoggerFactory.getLogger(BackfillTracker.class);

    /** Where progress goes: sends asynchronously, in call order for one collection. */
    @FunctionalInterface
    interface ProgressSink {
        Future<?> send(BackfillProgress progress);
    }

    private final long progressIntervalMs;
    private final MeterRegistry registry;
    private final ProgressSink sink;
    private final LongSupplier clock;
    private final Map<TableId, Running> running = new LinkedHashMap<>();
    private final Map<String, Counter> rows = new ConcurrentHashMap<>();

    /** One backfill that has started and not ended. */
    private static final class Running {
        final String backfillId;
        final String collection;
        final long rowsTotal;
        long rowsDone;
        long sentAtMs;
        long sentRows;

        Running(String backfillId, String collection, long rowsTotal, long rowsDone) {
            this.backfillId = backfillId;
            this.collection = collection;
            this.rowsTotal = rowsTotal;
            this.rowsDone = rowsDone;
        }

        BackfillProgress progress(State state, long nowMs) {
            return new BackfillProgress(backfillId, collection, state, rowsDone, rowsTotal, nowMs);
        }
    }

    BackfillTracker(long progressIntervalMs, MeterRegistry registry, ProgressSink sink, LongSupplier clock) {
        this.progressIntervalMs = progressIntervalMs;
        this.registry = registry;
        this.sink = sink;
        this.clock = clock;
        Gauge.builder("vectorsync.backfill.running", this, BackfillTracker::running)
                .description("Backfills (incremental snapshots) running in the connector").register(registry);
    }

    /**
     * Follows a backfill of {@code table} and sends its first RUNNING progress.
     *
     * @param rowsDone rows already counted, when following a backfill again after a restart
     * @return the send of the first progress, to wait for
     * @throws IllegalStateException when another backfill of the table is running
     */
    synchronized Future<?> start(String backfillId, String collection, TableId table, long rowsTotal, long rowsDone) {
        Running previous = running.get(table);
        if (previous != null) {
            throw new IllegalStateException("table " + table + " is already being backfilled by '"
                    + previous.backfillId + "'; backfill '" + backfillId + "' has to wait");
        }
        Running r = new Running(backfillId, collection, rowsTotal, rowsDone);
        running.put(table, r);
        return sendRunning(r, clock.getAsLong());
    }

    /** Stops following a backfill that could not be started; nothing is sent for it. */
    synchronized void forget(TableId table, String backfillId) {
        running.computeIfPresent(table, (t, r) -> r.backfillId.equals(backfillId) ? null : r);
    }

    /** The id of the backfill running on the table, if one is. */
    synchronized Optional<String> backfillOf(TableId table) {
        return Optional.ofNullable(running.get(table)).map(r -> r.backfillId);
    }

    synchronized int running() {
        return running.size();
    }

    /** Sends the progress of every backfill whose count moved since it was last sent at least an interval ago. */
    synchronized void sendDue() {
        long now = clock.getAsLong();
        for (Running r : running.values()) {
            if (r.rowsDone != r.sentRows && now - r.sentAtMs >= progressIntervalMs) {
                sendRunning(r, now);
            }
        }
    }

    /**
     * Sends the progress of every running backfill whose count moved, however recently progress was sent: when the
     * connector stops, after the engine, whose offsets then cover every row counted.
     */
    synchronized void sendAll() {
        long now = clock.getAsLong();
        for (Running r : running.values()) {
            if (r.rowsDone != r.sentRows) {
                sendRunning(r, now);
            }
        }
    }

    @Override
    public synchronized void snapshotRow(TableId table) {
        Running r = running.get(table);
        if (r != null) {
            r.rowsDone++;
            rows.computeIfAbsent(r.collection, c -> Counter.builder("vectorsync.backfill.rows").tag("collection", c)
                    .description("Rows replayed by backfills (incremental snapshots)").register(registry))
                    .increment();
        }
    }

    /**
     * Ends the backfills a notification reports finished and waits until Kafka has their end: the engine marks the
     * notification processed only after this returns, so a crash in between makes Debezium emit it again.
     *
     * @throws IllegalStateException when the end could not be published
     */
    @Override
    public void notified(SnapshotNotification n) {
        if (!n.incremental()) {
            return;
        }
        LOG.debug("incremental snapshot notification {} {}", n.type(), n.data());
        List<Future<?>> ends = new ArrayList<>();
        synchronized (this) {
            if (SnapshotNotification.TABLE_SCAN_COMPLETED.equals(n.type())) {
                n.scannedTable().ifPresent(t -> end(t, n.scanSucceeded() ? State.COMPLETED : State.ABORTED,
                        "status " + n.data().get("status"), ends));
            } else if (SnapshotNotification.ABORTED.equals(n.type())) {
                // Without a list, Debezium stopped the whole incremental snapshot: every table in it.
                List<TableId> tables = n.dataCollections().isEmpty() ? List.copyOf(running.keySet())
                        : n.dataCollections();
                tables.forEach(t -> end(t, State.ABORTED, "Debezium aborted the snapshot", ends));
            }
        }
        for (Future<?> end : ends) {
            await(end);
        }
    }

    private void end(TableId table, State state, String why, List<Future<?>> ends) {
        Running r = running.remove(table);
        if (r == null) {
            return;
        }
        LOG.info("backfill '{}' of {} {} after {} of {} rows ({})", r.backfillId, table, state, r.rowsDone,
                r.rowsTotal, why);
        ends.add(sink.send(r.progress(state, clock.getAsLong())));
    }

    private Future<?> sendRunning(Running r, long nowMs) {
        r.sentAtMs = nowMs;
        r.sentRows = r.rowsDone;
        return sink.send(r.progress(State.RUNNING, nowMs));
    }

    private static void await(Future<?> send) {
        try {
            send.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the end of a backfill could not be published; the notification is not"
                    + " committed and is read again after a restart: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing the end of a backfill", e);
        }
    }
}
