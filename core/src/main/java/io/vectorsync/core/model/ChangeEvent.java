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
 * @param lsn         log sequence number of this change; newer changes of a row have larger LSNs
 * @param txId        source transaction id, or null
 */
public record ChangeEvent(
        Operation op,
        TableId table,
        Map<String, Object> key,
        Map<String, Object> before,
        Map<String, Object> after,
        long sourceTsMs,
        long lsn,
        Long txId) {

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

    /** The row as it is now: {@code after}, or {@code before} merged over the key for a delete. */
    public Map<String, Object> currentRow() {
        return isDelete() ? Maps.merge(before, key) : after;
    }

    public static boolean isUnavailable(Object value) {
        return UNAVAILABLE_VALUE.equals(value);
    }
}
