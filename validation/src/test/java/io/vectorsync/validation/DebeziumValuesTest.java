package io.vectorsync.validation;

import org.junit.jupiter.api.Test;
import org.postgresql.util.PGInterval;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The expected values are what Debezium 3.6 put in its JSON for the same source values (decimal.handling.mode=string,
 * time.precision.mode=connect), captured from the real connector.
 */
class DebeziumValuesTest {

    @Test
    void datesAndTimesBecomeConnectNumbers() {
        assertThat(DebeziumValues.epochDays(LocalDate.of(2024, 2, 29))).isEqualTo(19782);
        assertThat(DebeziumValues.epochDays(LocalDate.of(1969, 12, 31))).isEqualTo(-1);
        assertThat(DebeziumValues.millisOfDay(LocalTime.parse("13:45:07.123456"))).isEqualTo(49507123);
        assertThat(DebeziumValues.epochMillis(LocalDateTime.parse("2024-02-29T13:45:07.123456")))
                .isEqualTo(1709214307123L);
        assertThat(DebeziumValues.epochMillis(LocalDateTime.parse("1969-12-31T23:59:59.9995"))).isEqualTo(-1);
    }

    @Test
    void zonedValuesBecomeUtcIsoText() {
        OffsetDateTime t = OffsetDateTime.of(2024, 2, 29, 13, 45, 7, 120_000_000, ZoneOffset.ofHours(2));
        assertThat(DebeziumValues.zonedTimestamp(t, 6)).isEqualTo("2024-02-29T11:45:07.120000Z");
        assertThat(DebeziumValues.zonedTimestamp(t.withNano(0), 0)).isEqualTo("2024-02-29T11:45:07Z");
        assertThat(DebeziumValues.zonedTimestamp(OffsetDateTime.parse("2024-06-01T00:00:00Z"), 6))
                .isEqualTo("2024-06-01T00:00:00.000000Z");
        assertThat(DebeziumValues.zonedTime(OffsetTime.parse("13:45:07.5+02:00"))).isEqualTo("11:45:07.5Z");
    }

    @Test
    void intervalsBytesAndFloatsTakeDebeziumsShape() {
        assertThat(DebeziumValues.intervalMicros(new PGInterval(0, 0, 1, 2, 3, 4.5))).isEqualTo(93784500000L);
        assertThat(DebeziumValues.intervalMicros(new PGInterval(0, 1, 0, 0, 0, 0)))
                .isEqualTo((long) (365.25 / 12 * 86400 * 1e6));
        assertThat(DebeziumValues.base64(new byte[]{(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef}))
                .isEqualTo("3q2+7w==");
        assertThat(String.valueOf(DebeziumValues.float32(0.1f))).isEqualTo("0.1");
        assertThat(String.valueOf(DebeziumValues.float32(1e10f))).isEqualTo("1.0E10");
    }

    @Test
    void arrayElementsRenderAsTheyWouldFromJson() {
        assertThat(DebeziumValues.element((short) 7)).isEqualTo(7);
        assertThat(DebeziumValues.element(0.1f)).isEqualTo(0.1);
        assertThat(DebeziumValues.element(new BigDecimal("1E-7"))).isEqualTo("0.0000001");
        assertThat(DebeziumValues.element("y z")).isEqualTo("y z");
    }

    @Test
    void moneyIsSelectedAsNumericEverythingElseAsItself() {
        assertThat(new SourceColumn("price", "money", -1).selectExpression()).isEqualTo("\"price\"::numeric");
        assertThat(new SourceColumn("title", "text", -1).selectExpression()).isEqualTo("\"title\"");
        assertThat(new SourceColumn("ts", "timestamptz", -1).fractionDigits()).isEqualTo(6);
        assertThat(new SourceColumn("ts", "timestamptz", 3).fractionDigits()).isEqualTo(3);
    }
}
