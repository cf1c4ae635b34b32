package io.vectorsync.core.model;

import java.util.Map;
import java.util.Objects;

/**
 * One row change as captured from PostgreSQL.
 *
 * @param op          what happened
 * @param table       the source table
 * @param key         primary-key columns and values
 * @param before      the row before the change, where known (deletes carry at least the key), else empty
 * @param after       the row after the change; empty for deletes
 * @param sourceTsMs  source commit time, epoch millis
 * @param lsn         log sequence number of this change; newer streamed changes of a row have larger LSNs. -1 for
 *                    an incremental-snapshot read, which has none: the topology gives it the LSN of the row's last
 *                    change it processed
 * @param txId        source transaction id, or null
 * @param position    the change's place in the stream ({@code source.sequence}), or null when the event has none
 * @param incrementalSnapshot a row read by a Debezium incremental snapshot (a backfill), not a change
 */
public record ChangeEvent(
        Operation op,
        TableId table,
        Map<String, Object> key,
        Map<String, Object> before,
        Map<String, Object> after,
        long sourceTsMs,
        long lsn,
        Long txId,
        StreamPosition position,
        boolean incrementalSnapshot) {

    /** The value Debezium sends for a TOASTed column an update did not touch. */
    public static final String UNAVAILABLE_VALUE = "__debezium_unavailable_value";

    public ChangeEvent {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(table, "table");
        key = Maps.immutableCopy(key);
        before = Maps.immutableCopy(before);
        after = Maps.immutableCopy(after);
    }

    public boolean isDelete() {
        return op == Operation.DELETE;
    }

    /** A TRUNCATE of the table: every row of it is gone as of this event's LSN. */
    public boolean isTruncate() {
        return op == Operation.TRUNCATE;
    }

    /** The row as it is now: {@code after}, or {@code before} merged over the key for a delete. */
    public Map<String, Object> currentRow() {
        return isDelete() ? Maps.merge(before, key) : after;
    }

    public static boolean isUnavailable(Object value) {
        return UNAVAILABLE_VALUE.equals(value);
    }
}
