package io.vectorsync.core.mode;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode.StoreRole;

/**
 * A backfill of one store of a collection, as the status shows it.
 *
 * @param rowsTotal source rows when the backfill started, -1 until the connector counted them
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Backfill(String id, StoreRole store, SinkName sink, State state, long rowsDone, long rowsTotal,
                       long startedAtMs, long finishedAtMs) {

    public enum State { RUNNING, COMPLETED, ABORTED }

    public static Backfill started(String id, StoreRole store, SinkName sink, long nowMs) {
        return new Backfill(id, store, sink, State.RUNNING, 0, -1, nowMs, 0);
    }

    /** What the connector is asked to run for this backfill. */
    public BackfillRequest request(String collection, String table) {
        return new BackfillRequest(id, collection, table, store, sink, startedAtMs);
    }

    public boolean running() {
        return state == State.RUNNING;
    }

    /** This backfill with the connector's latest progress; progress of another backfill is ignored. */
    public Backfill with(BackfillProgress progress) {
        if (!id.equals(progress.backfillId()) || state != State.RUNNING) {
            return this;
        }
        long finished = progress.state() == State.RUNNING ? 0 : progress.atMs();
        return new Backfill(id, store, sink, progress.state(), progress.rowsDone(), progress.rowsTotal(), startedAtMs,
                finished);
    }

    /** "1200/5000 rows, RUNNING" */
    public String describe() {
        return rowsDone + "/" + (rowsTotal < 0 ? "?" : Long.toString(rowsTotal)) + " rows, " + state;
    }
}
