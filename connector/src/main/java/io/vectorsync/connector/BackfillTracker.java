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
 *
 * <p>Other incremental snapshots of a backfilled table (a re-drive reading some rows again) share Debezium's one
 * snapshot queue, and rows and notifications do not say which signal they belong to. So a backfill counts rows and
 * can end only once Debezium has read its own signal (its row in the signal table reached the stream, or a
 * notification carried its id), and a table scan ends it only when no other scan of the table is still queued
 * behind that one (the notification lists the queue): a scan that ended earlier may have been another snapshot's,
 * never the last one. A backfill therefore never ends early; with another snapshot of its table queued behind it,
 * it ends when that one does, and counts that one's rows too. Rows and scans of tables no backfill runs on are
 * ignored.
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
        final String signalId;
        final String collection;
        final long rowsTotal;
        long rowsDone;
        long sentAtMs;
        long sentRows;
        // Whether Debezium has read the backfill's signal, so that its scan is queued.
        boolean signalRead;

        Running(String backfillId, String collection, long rowsTotal, long rowsDone, boolean signalRead) {
            this.backfillId = backfillId;
            this.signalId = BackfillSource.signalId(backfillId);
            this.collection = collection;
            this.rowsTotal = rowsTotal;
            this.rowsDone = rowsDone;
            this.signalRead = signalRead;
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
     * Follows a new backfill of {@code table}, whose signal is yet to be written, and sends its first RUNNING
     * progress.
     *
     * @return the send of the first progress, to wait for
     * @throws IllegalStateException when another backfill of the table is running
     */
    synchronized Future<?> start(String backfillId, String collection, TableId table, long rowsTotal) {
        return follow(new Running(backfillId, collection, rowsTotal, 0, false), table);
    }

    /**
     * Follows again a backfill found running after a restart and sends its RUNNING progress. Debezium may have read
     * its signal before the restart, and says nothing more about it then, so it is taken as read (see
     * {@link #expectSignal}).
     *
     * @param rowsDone rows counted before the restart
     * @return the send of the progress, to wait for
     * @throws IllegalStateException when another backfill of the table is running
     */
    synchronized Future<?> resume(String backfillId, String collection, TableId table, long rowsTotal,
                                  long rowsDone) {
        return follow(new Running(backfillId, collection, rowsTotal, rowsDone, true), table);
    }

    /**
     * The running backfill of the table is about to write its signal again (it was missing after a restart): its
     * scan is queued only once Debezium has read it. Call before writing the signal, so its reading cannot come
     * first; {@link #signalRead} undoes it when the signal turns out to be there.
     */
    synchronized void expectSignal(TableId table) {
        Running r = running.get(table);
        if (r != null) {
            r.signalRead = false;
        }
    }

    /** The running backfill of the table has its signal read, as far as anybody can tell. */
    synchronized void signalRead(TableId table) {
        Running r = running.get(table);
        if (r != null) {
            r.signalRead = true;
        }
    }

    private Future<?> follow(Running r, TableId table) {
        Running previous = running.get(table);
        if (previous != null) {
            throw new IllegalStateException("table " + table + " is already being backfilled by '"
                    + previous.backfillId + "'; backfill '" + r.backfillId + "' has to wait");
        }
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
    public synchronized void signalled(String signalId) {
        markRead(signalId);
    }

    @Override
    public synchronized void snapshotRow(TableId table) {
        Running r = running.get(table);
        // Before its signal was read, a row of the table belongs to another snapshot.
        if (r != null && r.signalRead) {
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
        LOG.debug("incremental snapshot notification {} {} {}", n.id(), n.type(), n.data());
        List<Future<?>> ends = new ArrayList<>();
        synchronized (this) {
            // Debezium gives every notification the id of the last signal it read.
            markRead(n.id());
            if (SnapshotNotification.TABLE_SCAN_COMPLETED.equals(n.type())) {
                n.scannedTable().filter(t -> lastScanOfBackfill(n, t)).ifPresent(t -> end(t,
                        n.scanSucceeded() ? State.COMPLETED : State.ABORTED, "status " + n.data().get("status"),
                        ends));
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

    /**
     * Whether a scan of {@code table} that just ended ends its backfill: the backfill's signal was read, so its scan
     * was queued, and no scan of the table is queued behind the one that ended (Debezium's queue, in the
     * notification, still holds the one that ended).
     */
    private boolean lastScanOfBackfill(SnapshotNotification n, TableId table) {
        Running r = running.get(table);
        if (r == null) {
            return false;
        }
        if (!r.signalRead) {
            LOG.debug("a scan of {} ended before Debezium read the signal of backfill '{}': another snapshot's",
                    table, r.backfillId);
            return false;
        }
        long queued = n.queuedTables().stream().filter(table::equals).count();
        if (queued > 1) {
            LOG.debug("a scan of {} ended with {} more queued; backfill '{}' ends with the last", table, queued - 1,
                    r.backfillId);
            return false;
        }
        return true;
    }

    private void markRead(String signalId) {
        for (Running r : running.values()) {
            if (r.signalId.equals(signalId)) {
                r.signalRead = true;
            }
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
