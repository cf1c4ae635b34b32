package io.vectorsync.core.debezium;

import com.fasterxml.jackson.databind.JsonNode;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.model.TableId;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DeleteEventTest {

    @Test
    void theKeyTextKeepsTheColumnsInPrimaryKeyOrder() {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("b", 1);
        key.put("a", "y'q");
        assertThat(DeleteEvent.keyJson(key)).isEqualTo("{\"b\":1,\"a\":\"y'q\"}");
    }

    @Test
    void theValueIsADebeziumDeleteWithTheGivenPositionAndTheKeyAsBefore() {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("b", 3);
        key.put("a", "z");

        JsonNode v = read(DeleteEvent.value(new TableId("public", "comp"), "shop", key, 455_626_064L,
                1_700_000_000_123L, "3.6.0.Final"));
        assertThat(v.get("op").asText()).isEqualTo("d");
        assertThat(v.get("after").isNull()).isTrue();
        assertThat(Json.mapper().convertValue(v.get("before"), Map.class)).isEqualTo(Map.of("b", 3, "a", "z"));
        assertThat(v.get("ts_ms").asLong()).isEqualTo(1_700_000_000_123L);
        JsonNode source = v.get("source");
        assertThat(source.get("connector").asText()).isEqualTo("postgresql");
        assertThat(source.get("name").asText()).isEqualTo("cdc");
        assertThat(source.get("db").asText()).isEqualTo("shop");
        assertThat(source.get("schema").asText()).isEqualTo("public");
        assertThat(source.get("table").asText()).isEqualTo("comp");
        assertThat(source.get("snapshot").asText()).isEqualTo("false");
        assertThat(source.get("lsn").asLong()).isEqualTo(455_626_064L);
        assertThat(source.get("sequence").asText()).isEqualTo("[\"455626064\",\"455626064\"]");
        assertThat(source.get("ts_ms").asLong()).isEqualTo(1_700_000_000_123L);
        assertThat(source.get("txId").isNull()).isTrue();
        assertThat(source.get("version").asText()).isEqualTo("3.6.0.Final");
    }

    private static JsonNode read(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
