package io.vectorsync.core.debezium;

import io.vectorsync.core.model.ChangeEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Vectors read from a source column, as the change event carries them: each test parses a whole Debezium 3.6 change
 * event (JSON converter, schemas disabled, as the connector publishes it) and reads the column of its row.
 */
class SourceVectorTest {

    /** A Debezium insert event of table public.items whose {@code embedding} column is {@code valueJson}. */
    private static Object column(String valueJson) {
        String value = "{\"before\":null,\"after\":{\"id\":7,\"title\":\"t\",\"embedding\":" + valueJson + "},"
                + "\"source\":{\"version\":\"3.6.1.Final\",\"connector\":\"postgresql\",\"name\":\"cdc\","
                + "\"ts_ms\":1700000000123,\"snapshot\":\"false\",\"db\":\"shop\","
                + "\"sequence\":\"[null,\\\"55803240\\\"]\",\"schema\":\"public\",\"table\":\"items\",\"txId\":812,"
                + "\"lsn\":55803240,\"xmin\":null},\"transaction\":null,\"op\":\"c\",\"ts_ms\":1700000000500}";
        ChangeEvent event = CdcRecordParser.parse("{\"id\":7}", value);
        return event.after().get("embedding");
    }

    @Test
    void aPgvectorColumnIsDebeziumsDoubleVectorAJsonArrayOfDoubles() {
        // vector(3) '[0.1,-2.5,3]': Debezium parses pgvector's text into doubles, the JSON converter writes them.
        float[] v = SourceVector.parse(column("[0.10000000149011612,-2.5,3.0]"));

        assertThat(v).containsExactly(0.1f, -2.5f, 3.0f);
    }

    @Test
    void aRealArrayIsAJsonArrayOfFloat32AndEveryFloatComesBackBitForBit() {
        float[] source = {0.1f, -0.333333343f, 1.17549435E-38f, 3.4028235E38f, Float.MIN_VALUE, -0.0f, 12345.678f};
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < source.length; i++) {
            json.append(i == 0 ? "" : ",").append(Float.toString(source[i])); // as Jackson writes a FloatNode
        }
        float[] v = SourceVector.parse(column(json.append(']').toString()));

        assertThat(v).hasSize(source.length);
        for (int i = 0; i < source.length; i++) {
            assertThat(Float.floatToIntBits(v[i])).as("element %d", i).isEqualTo(Float.floatToIntBits(source[i]));
        }
    }

    @Test
    void aDoublePrecisionArrayIsRoundedToTheNearestFloat() {
        float[] v = SourceVector.parse(column("[0.1,1.0000000000000002,-7]"));

        assertThat(v).containsExactly((float) 0.1, 1.0f, -7.0f);
    }

    @Test
    void aJsonOrJsonbColumnIsDebeziumsJsonTextHoldingAnArrayOfNumbers() {
        // io.debezium.data.Json: the document's text, as a JSON string.
        assertThat(SourceVector.parse(column("\"[0.5, -1, 2e-3]\""))).containsExactly(0.5f, -1.0f, 0.002f);
        assertThat(SourceVector.parse(column("\"null\""))).isNull();
    }

    @Test
    void pgvectorsOwnTextIsReadToo() {
        assertThat(SourceVector.parse("[1,2.5,-3e-05]")).containsExactly(1.0f, 2.5f, -3e-05f);
    }

    @Test
    void aNullColumnIsNoVector() {
        assertThat(SourceVector.parse(column("null"))).isNull();
    }

    @Test
    void anEmptyArrayIsAVectorOfNoDimensions() {
        assertThat(SourceVector.parse(column("[]"))).isEmpty();
    }

    @Test
    void aNonNumberANullElementOrANonFiniteValueIsRefusedSayingWhichElement() {
        // float8[] '{1,NaN}': Jackson writes a NaN double as the string "NaN".
        assertThatThrownBy(() -> SourceVector.parse(column("[1.0,\"NaN\"]")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("element 1 is not a number; a vector holds numbers only");
        assertThatThrownBy(() -> SourceVector.parse(column("[1.0,null]")))
                .hasMessage("element 1 is null; a vector holds numbers only");
        assertThatThrownBy(() -> SourceVector.parse(column("[1e300]")))
                .hasMessage("element 0 is 1.0E300, not a finite 32-bit float");
        assertThatThrownBy(() -> SourceVector.parse(column("\"[1, \\\"x\\\"]\"")))
                .hasMessage("element 1 is not a number; a vector holds numbers only");
        assertThatThrownBy(() -> SourceVector.parse(column("\"{\\\"a\\\": 1}\"")))
                .hasMessage("its text is a JSON object, not an array of numbers");
        assertThatThrownBy(() -> SourceVector.parse(column("\"not json\"")))
                .hasMessageStartingWith("its text is not a JSON array of numbers: ");
        assertThatThrownBy(() -> SourceVector.parse(column("42")))
                .hasMessage("it is not an array of numbers (pgvector vector, real[], float8[] or a JSON array) but"
                        + " Integer");
    }
}
