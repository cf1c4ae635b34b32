package io.vectorsync.connector.redrive;

import com.fasterxml.jackson.databind.JsonNode;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.model.TableId;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeleteEventTest {
    private static final KeyColumn B = new KeyColumn("b", "integer", KeyColumn.Kind.NUMBER);
    private static final KeyColumn A = new KeyColumn("a", "text", KeyColumn.Kind.TEXT);

    @Test
    void theKeyHoldsThePrimaryKeyInItsOrderWithNumbersAsJsonNumbers() {
        Map<String, Object> key = DeleteEvent.key(List.of(B, A), List.of("1", "y'q"));

        assertThat(DeleteEvent.keyJson(key)).isEqualTo("{\"b\":1,\"a\":\"y'q\"}");
        assertThat(DeleteEvent.keyJson(DeleteEvent.key(List.of(new KeyColumn("id", "bigint",
                KeyColumn.Kind.NUMBER)), List.of("9007199254740993")))).isEqualTo("{\"id\":9007199254740993}");
        assertThat(DeleteEvent.keyJson(DeleteEvent.key(List.of(new KeyColumn("ok", "boolean",
                KeyColumn.Kind.BOOLEAN)), List.of("t")))).isEqualTo("{\"ok\":true}");
        assertThat(DeleteEvent.keyJson(DeleteEvent.key(List.of(new KeyColumn("price", "numeric(10,2)",
                KeyColumn.Kind.TEXT)), List.of("1.50")))).isEqualTo("{\"price\":\"1.50\"}");
    }

    @Test
    void theValueIsADebeziumDeleteWithTheGivenPositionAndTheKeyAsBefore() {
        Map<String, Object> key = DeleteEvent.key(List.of(B, A), List.of("3", "z"));

        JsonNode v = read(DeleteEvent.value(new TableId("public", "comp"), "shop", key, 455_626_064L, 1_700_000_000_123L));

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
        assertThat(source.get("version").asText()).endsWith(".Final");
    }

    @Test
    void aKeyOfTheWrongSizeOrAnIntegerThatIsNoneIsRefused() {
        assertThatThrownBy(() -> DeleteEvent.key(List.of(B, A), List.of("1")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> B.requireValid("1 OR 1=1", List.of("1 OR 1=1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key [1 OR 1=1] has '1 OR 1=1' for integer column 'b'");
        B.requireValid(" -42 ", List.of(" -42 "));
    }

    @Test
    void onlyKeyTypesWhoseJsonFormIsKnownAreRedriven() {
        assertThat(KeyColumn.kindOf("int4")).contains(KeyColumn.Kind.NUMBER);
        assertThat(KeyColumn.kindOf("bool")).contains(KeyColumn.Kind.BOOLEAN);
        assertThat(KeyColumn.kindOf("uuid")).contains(KeyColumn.Kind.TEXT);
        assertThat(KeyColumn.kindOf("numeric")).contains(KeyColumn.Kind.TEXT);
        assertThat(KeyColumn.kindOf("timestamptz")).isEmpty();
        assertThat(KeyColumn.kindOf("float8")).isEmpty();
        assertThat(KeyColumn.kindOf("bytea")).isEmpty();
    }

    private static JsonNode read(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
