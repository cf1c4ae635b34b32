package io.vectorsync.core.debezium;

import io.vectorsync.core.Topics;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.model.TableId;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A delete change event for a row the source no longer holds, in the shape Debezium's PostgreSQL connector gives
 * one (JSON, schemas disabled): the same record key Debezium writes for the row, so it lands on the row's partition,
 * and a value with {@code op} "d", {@code before} holding the key columns, and a {@code source} block whose
 * {@code lsn} and {@code sequence} are the position the caller read from the server. Written by re-drive for rows
 * the source no longer holds; read back by {@link CdcRecordParser} like any other event. Pure.
 */
public final class DeleteEvent {
    /** Header telling consumers the event did not come from Debezium. */
    public static final String ORIGIN_HEADER = "vectorsync.origin";
    public static final String ORIGIN = "redrive";

    private DeleteEvent() {
    }

    /** The record key's text: the same bytes Debezium writes for the row. */
    public static String keyJson(Map<String, Object> key) {
        return Json.write(key);
    }

    /**
     * The record value.
     *
     * @param lsn   the server's WAL position, read before the row was found missing: above every change captured so
     *              far, so sinks, which keep the newest LSN per document, apply it; a change made afterwards has this
     *              LSN or a larger one, and sinks let a change through a tombstone of the same LSN
     * @param nowMs when the delete was decided, for {@code ts_ms}
     * @param formatVersion the version of Debezium whose events this one mirrors, for {@code source.version}
     */
    public static String value(TableId table, String database, Map<String, Object> key, long lsn, long nowMs,
                               String formatVersion) {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("version", formatVersion);
        source.put("connector", "postgresql");
        source.put("name", Topics.cdcPrefix());
        source.put("ts_ms", nowMs);
        source.put("snapshot", "false");
        source.put("db", database);
        // Debezium's sequence is the JSON text of [last commit LSN, LSN], both as strings.
        source.put("sequence", Json.write(List.of(Long.toString(lsn), Long.toString(lsn))));
        source.put("ts_us", nowMs * 1_000);
        source.put("ts_ns", nowMs * 1_000_000);
        source.put("schema", table.schema());
        source.put("table", table.table());
        source.put("txId", null);
        source.put("lsn", lsn);
        source.put("xmin", null);
        source.put("origin", null);
        source.put("origin_lsn", null);
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("before", key);
        value.put("after", null);
        value.put("source", source);
        value.put("transaction", null);
        value.put("op", "d");
        value.put("ts_ms", nowMs);
        value.put("ts_us", nowMs * 1_000);
        value.put("ts_ns", nowMs * 1_000_000);
        return Json.write(value);
    }
}
