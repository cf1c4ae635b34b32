package io.vectorsync.connector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.model.TableId;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Debezium notification as its sink channel emits it (JSON, schemas disabled):
 * {@code {"id":…, "aggregate_type":"Incremental Snapshot", "type":"TABLE_SCAN_COMPLETED", "additional_data":{…}}}.
 *
 * @param id            the signal's id for an incremental snapshot (Debezium's correlation id)
 * @param aggregateType "Incremental Snapshot", "Initial Snapshot" …
 * @param type          STARTED, IN_PROGRESS, TABLE_SCAN_COMPLETED, COMPLETED, ABORTED, PAUSED, RESUMED …
 * @param data          Debezium's additional data, all strings
 */
public record SnapshotNotification(String id, String aggregateType, String type, Map<String, String> data) {
    static final String INCREMENTAL = "Incremental Snapshot";
    static final String TABLE_SCAN_COMPLETED = "TABLE_SCAN_COMPLETED";
    static final String ABORTED = "ABORTED";
    // Debezium's TableScanCompletionStatus values that mean every row of the table was read.
    private static final List<String> SCANNED = List.of("SUCCEEDED", "EMPTY");

    public SnapshotNotification {
        data = Map.copyOf(data);
    }

    /** @throws IllegalArgumentException when the text is not a Debezium notification */
    public static SnapshotNotification parse(String json) {
        JsonNode n;
        try {
            n = Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a Debezium notification is not valid JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.path("type").isTextual() || !n.path("aggregate_type").isTextual()) {
            throw new IllegalArgumentException("a Debezium notification lacks 'type' or 'aggregate_type': " + json);
        }
        Map<String, String> data = new HashMap<>();
        n.path("additional_data").fields().forEachRemaining(e -> data.put(e.getKey(), e.getValue().asText()));
        return new SnapshotNotification(n.path("id").asText(), n.get("aggregate_type").asText(),
                n.get("type").asText(), data);
    }

    public boolean incremental() {
        return INCREMENTAL.equals(aggregateType);
    }

    /** The table a TABLE_SCAN_COMPLETED notification is about. */
    public Optional<TableId> scannedTable() {
        return Optional.ofNullable(data.get("scanned_collection")).flatMap(SnapshotNotification::table);
    }

    /** Whether a TABLE_SCAN_COMPLETED notification says every row was read (not skipped or failed). */
    public boolean scanSucceeded() {
        return SCANNED.contains(data.get("status"));
    }

    /** The tables an ABORTED notification names; empty when it stops the whole snapshot. */
    public List<TableId> dataCollections() {
        String list = data.getOrDefault("data_collections", "");
        return Arrays.stream(list.split(",")).map(SnapshotNotification::table).flatMap(Optional::stream).toList();
    }

    /**
     * Debezium's snapshot queue as a TABLE_SCAN_COMPLETED or IN_PROGRESS notification lists it: one entry per
     * queued table scan, the current one first, so a table queued twice is there twice.
     */
    public List<TableId> queuedTables() {
        return dataCollections();
    }

    // Debezium names tables schema.table; a name vectorsync could not capture is no table of a backfill.
    private static Optional<TableId> table(String identifier) {
        try {
            return identifier.isBlank() ? Optional.empty() : Optional.of(TableId.parse(identifier.trim()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
