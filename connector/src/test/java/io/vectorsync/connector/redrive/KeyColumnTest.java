package io.vectorsync.connector.redrive;

import io.vectorsync.core.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyColumnTest {
    private static final KeyColumn B = new KeyColumn("b", "integer", KeyColumn.Kind.NUMBER);
    private static final KeyColumn A = new KeyColumn("a", "text", KeyColumn.Kind.TEXT);

    @Test
    void theRecordKeyHoldsThePrimaryKeyInItsOrderWithNumbersAsJsonNumbers() {
        Map<String, Object> key = KeyColumn.recordKey(List.of(B, A), List.of("1", "y'q"));

        assertThat(Json.write(key)).isEqualTo("{\"b\":1,\"a\":\"y'q\"}");
        assertThat(Json.write(KeyColumn.recordKey(List.of(new KeyColumn("id", "bigint",
                KeyColumn.Kind.NUMBER)), List.of("9007199254740993")))).isEqualTo("{\"id\":9007199254740993}");
        assertThat(Json.write(KeyColumn.recordKey(List.of(new KeyColumn("ok", "boolean",
                KeyColumn.Kind.BOOLEAN)), List.of("t")))).isEqualTo("{\"ok\":true}");
        assertThat(Json.write(KeyColumn.recordKey(List.of(new KeyColumn("price", "numeric(10,2)",
                KeyColumn.Kind.TEXT)), List.of("1.50")))).isEqualTo("{\"price\":\"1.50\"}");
    }

    @Test
    void aKeyOfTheWrongSizeOrAnIntegerThatIsNoneIsRefused() {
        assertThatThrownBy(() -> KeyColumn.recordKey(List.of(B, A), List.of("1")))
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
}
