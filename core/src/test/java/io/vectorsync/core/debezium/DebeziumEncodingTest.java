package io.vectorsync.core.debezium;

import org.junit.jupiter.api.Test;

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
class DebeziumEncodingTest {

    @Test
    void datesAndTimesBecomeConnectNumbers() {
        assertThat(DebeziumEncoding.epochDays(LocalDate.of(2024, 2, 29))).isEqualTo(19782);
        assertThat(DebeziumEncoding.epochDays(LocalDate.of(1969, 12, 31))).isEqualTo(-1);
        assertThat(DebeziumEncoding.millisOfDay(LocalTime.parse("13:45:07.123456"))).isEqualTo(49507123);
        assertThat(DebeziumEncoding.epochMillis(LocalDateTime.parse("2024-02-29T13:45:07.123456")))
                .isEqualTo(1709214307123L);
        assertThat(DebeziumEncoding.epochMillis(LocalDateTime.parse("1969-12-31T23:59:59.9995"))).isEqualTo(-1);
    }

    @Test
    void zonedValuesBecomeUtcIsoText() {
        OffsetDateTime t = OffsetDateTime.of(2024, 2, 29, 13, 45, 7, 120_000_000, ZoneOffset.ofHours(2));
        assertThat(DebeziumEncoding.zonedTimestamp(t, 6)).isEqualTo("2024-02-29T11:45:07.120000Z");
        assertThat(DebeziumEncoding.zonedTimestamp(t.withNano(0), 0)).isEqualTo("2024-02-29T11:45:07Z");
        assertThat(DebeziumEncoding.zonedTimestamp(OffsetDateTime.parse("2024-06-01T00:00:00Z"), 6))
                .isEqualTo("2024-06-01T00:00:00.000000Z");
        assertThat(DebeziumEncoding.zonedTime(OffsetTime.parse("13:45:07.5+02:00"))).isEqualTo("11:45:07.5Z");
    }

    @Test
    void infiniteTimestamptzIsDebeziumsInfinityText() {
        // The JDBC driver reads 'infinity' and '-infinity' as OffsetDateTime.MAX and MIN.
        assertThat(DebeziumEncoding.zonedTimestamp(OffsetDateTime.MAX, 6)).isEqualTo("infinity");
        assertThat(DebeziumEncoding.zonedTimestamp(OffsetDateTime.MIN, 6)).isEqualTo("-infinity");
    }

    @Test
    void intervalsBytesAndFloatsTakeDebeziumsShape() {
        assertThat(DebeziumEncoding.intervalMicros(0, 0, 1, 2, 3, 4.5)).isEqualTo(93784500000L);
        assertThat(DebeziumEncoding.intervalMicros(0, 1, 0, 0, 0, 0))
                .isEqualTo((long) (365.25 / 12 * 86400 * 1e6));
        assertThat(DebeziumEncoding.base64(new byte[]{(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef}))
                .isEqualTo("3q2+7w==");
        assertThat(String.valueOf(DebeziumEncoding.float32(0.1f))).isEqualTo("0.1");
        assertThat(String.valueOf(DebeziumEncoding.float32(1e10f))).isEqualTo("1.0E10");
    }

    @Test
    void arrayElementsRenderAsTheyWouldFromJson() {
        assertThat(DebeziumEncoding.element((short) 7)).isEqualTo(7);
        assertThat(DebeziumEncoding.element(0.1f)).isEqualTo(0.1);
        assertThat(DebeziumEncoding.element(new BigDecimal("1E-7"))).isEqualTo("0.0000001");
        assertThat(DebeziumEncoding.element("y z")).isEqualTo("y z");
    }
}
