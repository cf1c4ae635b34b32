package io.vectorsync.connector;

import io.vectorsync.core.json.Json;
import io.vectorsync.core.model.TableId;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data of Debezium's execute-snapshot signal for an incremental snapshot of one table (Debezium 3.x):
 * {@code {"type":"incremental","data-collections":["schema\\.table"]}}, optionally with
 * {@code "additional-conditions":[{"data-collection":"schema\\.table","filter":"<SQL>"}]}, which Debezium adds to
 * every chunk query of that table, so only the rows the filter selects are read again. Pure text.
 */
public final class SnapshotSignal {
    private SnapshotSignal() {
    }

    /** A snapshot of every row of {@code table}. */
    public static String incremental(TableId table) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("type", "incremental");
        data.put("data-collections", List.of(dataCollection(table)));
        return Json.write(data);
    }

    /**
     * A snapshot of the rows of {@code table} that {@code filter} selects.
     *
     * @param filter a boolean SQL expression over the table's columns, used by Debezium as is: build it from
     *               quoted identifiers and escaped literals only
     */
    public static String incremental(TableId table, String filter) {
        Map<String, Object> condition = new LinkedHashMap<>();
        condition.put("data-collection", dataCollection(table));
        condition.put("filter", filter);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("type", "incremental");
        data.put("data-collections", List.of(dataCollection(table)));
        data.put("additional-conditions", List.of(condition));
        return Json.write(data);
    }

    /**
     * Debezium reads each data-collection as a regular expression over {@code schema.table}; the escaped dot makes
     * it match this one table only (the parts are plain identifiers, with nothing else to escape).
     */
    static String dataCollection(TableId table) {
        return table.schema() + "\\." + table.table();
    }
}
