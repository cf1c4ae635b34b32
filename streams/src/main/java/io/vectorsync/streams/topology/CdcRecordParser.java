package io.vectorsync.streams.topology;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.model.ChangeEvent;
import io.vectorsync.core.model.Operation;
import io.vectorsync.core.model.TableId;

import java.util.Map;

/** Debezium's JSON change events (schemas disabled) into {@link ChangeEvent}s. */
public final class CdcRecordParser {
    private static final TypeReference<Map<String, Object>> ROW = new TypeReference<>() {
    };

    private CdcRecordParser() {
    }

    /** @throws MappingException when the record is not a Debezium change event */
    public static ChangeEvent parse(String key, String value) {
        JsonNode v = readTree(value, "value");
        JsonNode source = required(v, "source");
        Operation op;
        try {
            op = Operation.fromCode(required(v, "op").asText());
        } catch (IllegalArgumentException e) {
            throw new MappingException(e.getMessage());
        }
        TableId table;
        try {
            table = new TableId(required(source, "schema").asText(), required(source, "table").asText());
        } catch (IllegalArgumentException e) {
            throw new MappingException("change event names an invalid table: " + e.getMessage());
        }
        JsonNode lsn = required(source, "lsn");
        if (!lsn.canConvertToLong()) {
            throw new MappingException("change event has a non-numeric source.lsn '" + lsn.asText() + "'");
        }
        JsonNode txId = source.get("txId");
        return new ChangeEvent(op, table, key == null ? Map.of() : row(readTree(key, "key")), row(v.get("before")),
                row(v.get("after")), required(source, "ts_ms").asLong(), lsn.asLong(),
                txId == null || txId.isNull() ? null : txId.asLong());
    }

    private static JsonNode readTree(String text, String what) {
        try {
            JsonNode node = Json.mapper().readTree(text);
            if (node == null || !node.isObject()) {
                throw new MappingException("record " + what + " is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new MappingException("record " + what + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode child = node.get(field);
        if (child == null || child.isNull()) {
            throw new MappingException("change event lacks field '" + field + "'");
        }
        return child;
    }

    private static Map<String, Object> row(JsonNode node) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        return Json.mapper().convertValue(node, ROW);
    }
}
