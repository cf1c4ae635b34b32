package io.vectorsync.core.debezium;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.mapping.MappingException;
import io.vectorsync.core.model.ChangeEvent;
import io.vectorsync.core.model.Operation;
import io.vectorsync.core.model.StreamPosition;
import io.vectorsync.core.model.TableId;

import java.io.IOException;
import java.util.Map;

/** Debezium's JSON change events (schemas disabled) into {@link ChangeEvent}s. */
public final class CdcRecordParser {
    private static final TypeReference<Map<String, Object>> ROW = new TypeReference<>() {
    };

    private CdcRecordParser() {
    }

    /**
     * The change event without its rows ({@code before}, {@code after}): what a dead letter keeps of an event too
     * large to keep whole, so it can still be told by its operation, table, LSN and transaction. Read as a stream,
     * so the rows are skipped, not loaded. Null when the value is not a JSON object.
     */
    public static String withoutRows(String value) {
        if (value == null) {
            return null;
        }
        try (JsonParser p = Json.mapper().getFactory().createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            ObjectNode out = Json.mapper().createObjectNode();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if ("before".equals(field) || "after".equals(field)) {
                    p.skipChildren();
                } else {
                    out.set(field, p.readValueAsTree());
                }
            }
            return Json.mapper().writeValueAsString(out);
        } catch (IOException e) {
            return null;
        }
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
        // Rows read by an incremental snapshot carry no LSN of their own; the topology orders them by position.
        boolean incremental = op == Operation.READ && source.path("snapshot").asText("").equals("incremental");
        JsonNode lsnNode = source.get("lsn");
        long lsn;
        if (incremental && (lsnNode == null || lsnNode.isNull())) {
            lsn = -1;
        } else {
            JsonNode required = required(source, "lsn");
            if (!required.canConvertToLong()) {
                throw new MappingException("change event has a non-numeric source.lsn '" + required.asText() + "'");
            }
            lsn = required.asLong();
        }
        JsonNode txId = source.get("txId");
        return new ChangeEvent(op, table, key == null ? Map.of() : row(readTree(key, "key")), row(v.get("before")),
                row(v.get("after")), required(source, "ts_ms").asLong(), lsn,
                txId == null || txId.isNull() ? null : txId.asLong(), position(source.get("sequence"), lsn),
                incremental);
    }

    /**
     * Debezium's {@code source.sequence}: a JSON array text {@code ["<last commit lsn>","<lsn>"]}, either element
     * possibly null. Null when absent or unreadable: ordering then falls back to the LSN alone.
     */
    static StreamPosition position(JsonNode sequence, long lsn) {
        if (sequence == null || sequence.isNull()) {
            return null;
        }
        try {
            JsonNode pair = sequence.isTextual() ? Json.mapper().readTree(sequence.asText()) : sequence;
            if (pair == null || !pair.isArray() || pair.size() != 2) {
                return null;
            }
            long commit = pair.get(0).isNull() ? -1 : Long.parseLong(pair.get(0).asText());
            long own = pair.get(1).isNull() ? lsn : Long.parseLong(pair.get(1).asText());
            return new StreamPosition(commit, own);
        } catch (JsonProcessingException | NumberFormatException e) {
            return null;
        }
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
