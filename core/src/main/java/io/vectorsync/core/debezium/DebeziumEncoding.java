package io.vectorsync.core.debezium;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Base64;
import java.util.Locale;

/**
 * How Debezium's PostgreSQL connector writes a column value in its JSON (schemas disabled,
 * {@code decimal.handling.mode=string}, {@code time.precision.mode=connect}, see the connector's
 * {@code DebeziumProperties}), as the pipeline reads it back. Whoever must produce the value the pipeline got for a
 * source value without Debezium (the validator reading the source over JDBC) uses these. Pure.
 */
public final class DebeziumEncoding {
    /** Debezium's average month for intervals ({@code MicroDuration.DAYS_PER_MONTH_AVG}). */
    private static final double DAYS_PER_MONTH = 365.25 / 12.0;
    private static final DateTimeFormatter ZONED_TIME = DateTimeFormatter.ISO_OFFSET_TIME;

    private DebeziumEncoding() {
    }

    /** Debezium sends INT16 and INT32 as JSON numbers the pipeline reads back as Integer. */
    public static Integer integer(int value) {
        return value;
    }

    /** A FLOAT32 is written as the float's shortest text and read back by the pipeline as a double. */
    public static double float32(float value) {
        return Double.parseDouble(Float.toString(value));
    }

    /** DATE: days since 1970-01-01 (Connect's Date). */
    public static int epochDays(LocalDate date) {
        return Math.toIntExact(date.toEpochDay());
    }

    /** TIME: milliseconds since midnight, finer digits dropped (Connect's Time). */
    public static int millisOfDay(LocalTime time) {
        return (int) (time.toNanoOfDay() / 1_000_000);
    }

    /** TIMESTAMP (no zone): milliseconds since the epoch read as UTC, rounded down (Connect's Timestamp). */
    public static long epochMillis(LocalDateTime timestamp) {
        return timestamp.toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    /** TIMETZ: ISO time in UTC with as many fraction digits as needed (Debezium's ZonedTime). */
    public static String zonedTime(OffsetTime time) {
        return time.withOffsetSameInstant(ZoneOffset.UTC).format(ZONED_TIME);
    }

    /**
     * TIMESTAMPTZ: ISO date-time in UTC with exactly the column's fraction digits (Debezium's ZonedTimestamp), e.g.
     * {@code 2024-02-29T11:45:07.120000Z} for a timestamptz(6). PostgreSQL's {@code infinity} and {@code -infinity}
     * (which the JDBC driver reads as {@link OffsetDateTime#MAX} and {@link OffsetDateTime#MIN}) are Debezium's
     * {@code "infinity"} and {@code "-infinity"}.
     */
    public static String zonedTimestamp(OffsetDateTime timestamp, int fractionDigits) {
        if (timestamp.equals(OffsetDateTime.MAX)) {
            return "infinity";
        }
        if (timestamp.equals(OffsetDateTime.MIN)) {
            return "-infinity";
        }
        DateTimeFormatterBuilder format = new DateTimeFormatterBuilder().append(DateTimeFormatter.ISO_LOCAL_DATE)
                .appendLiteral('T').appendPattern("HH:mm:ss");
        if (fractionDigits > 0) {
            format.appendFraction(ChronoField.NANO_OF_SECOND, fractionDigits, fractionDigits, true);
        }
        return timestamp.withOffsetSameInstant(ZoneOffset.UTC)
                .format(format.appendOffsetId().toFormatter(Locale.ROOT));
    }

    /** INTERVAL: microseconds, a month counted as 365.25 / 12 days (Debezium's MicroDuration). */
    public static long intervalMicros(int years, int months, int days, int hours, int minutes, double seconds) {
        double allDays = (years * 12 + months) * DAYS_PER_MONTH + days;
        double allSeconds = ((allDays * 24 + hours) * 60 + minutes) * 60 + seconds;
        return (long) (allSeconds * 1e6);
    }

    /** BYTEA: base64 (Debezium's default binary handling). */
    public static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** An array element as it reads back from Debezium's JSON array. */
    public static Object element(Object e) {
        if (e instanceof Short s) {
            return (int) s;
        }
        if (e instanceof Float f) {
            return float32(f);
        }
        if (e instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (e == null || e instanceof String || e instanceof Integer || e instanceof Long || e instanceof Double
                || e instanceof Boolean) {
            return e;
        }
        return e.toString();
    }
}
