package io.vectorsync.validation;

import org.postgresql.util.PGInterval;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Source column values read over JDBC, turned into what the pipeline gets for them from Debezium's JSON (with
 * {@code decimal.handling.mode=string} and {@code time.precision.mode=connect}, see the connector's
 * {@code DebeziumProperties}), so that a template renders to the very text, and so the very content hash, the
 * pipeline stored. Types not listed here are read as their text, which is what Debezium sends for the text-like
 * ones (inet, xml, enums, citext ...).
 */
public final class DebeziumValues {
    /** Debezium's average month for intervals ({@code MicroDuration.DAYS_PER_MONTH_AVG}). */
    private static final double DAYS_PER_MONTH = 365.25 / 12.0;
    private static final DateTimeFormatter ZONED_TIME = DateTimeFormatter.ISO_OFFSET_TIME;

    private DebeziumValues() {
    }

    /** The value of column {@code index} of the current row, as the pipeline would see it; null for SQL NULL. */
    public static Object read(ResultSet rs, int index, SourceColumn column) throws SQLException {
        Object value = switch (column.type()) {
            case "int2", "int4" -> integer(rs.getInt(index));
            case "int8" -> rs.getLong(index);
            case "float4" -> float32(rs.getFloat(index));
            case "float8" -> rs.getDouble(index);
            case "bool" -> rs.getBoolean(index);
            case "date" -> map(rs.getObject(index, LocalDate.class), DebeziumValues::epochDays);
            case "time" -> map(rs.getObject(index, LocalTime.class), DebeziumValues::millisOfDay);
            case "timetz" -> map(rs.getObject(index, OffsetTime.class), DebeziumValues::zonedTime);
            case "timestamp" -> map(rs.getObject(index, LocalDateTime.class), DebeziumValues::epochMillis);
            case "timestamptz" -> map(rs.getObject(index, OffsetDateTime.class),
                    t -> zonedTimestamp(t, column.fractionDigits()));
            case "interval" -> map((PGInterval) rs.getObject(index), DebeziumValues::intervalMicros);
            case "bytea" -> map(rs.getBytes(index), DebeziumValues::base64);
            default -> column.type().startsWith("_") ? array(rs.getArray(index)) : rs.getString(index);
        };
        return rs.wasNull() ? null : value;
    }

    /** Debezium sends INT16 and INT32 as JSON numbers the pipeline reads back as Integer. */
    static Integer integer(int value) {
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
     * {@code 2024-02-29T11:45:07.120000Z} for a timestamptz(6).
     */
    public static String zonedTimestamp(OffsetDateTime timestamp, int fractionDigits) {
        DateTimeFormatterBuilder format = new DateTimeFormatterBuilder().append(DateTimeFormatter.ISO_LOCAL_DATE)
                .appendLiteral('T').appendPattern("HH:mm:ss");
        if (fractionDigits > 0) {
            format.appendFraction(ChronoField.NANO_OF_SECOND, fractionDigits, fractionDigits, true);
        }
        return timestamp.withOffsetSameInstant(ZoneOffset.UTC)
                .format(format.appendOffsetId().toFormatter(Locale.ROOT));
    }

    /** INTERVAL: microseconds, a month counted as 365.25 / 12 days (Debezium's MicroDuration). */
    public static long intervalMicros(PGInterval interval) {
        double days = (interval.getYears() * 12 + interval.getMonths()) * DAYS_PER_MONTH + interval.getDays();
        double seconds = ((days * 24 + interval.getHours()) * 60 + interval.getMinutes()) * 60
                + interval.getSeconds();
        return (long) (seconds * 1e6);
    }

    /** BYTEA: base64 (Debezium's default binary handling). */
    public static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** An array arrives as a JSON array, read back as a list. */
    private static List<Object> array(Array array) throws SQLException {
        if (array == null) {
            return null;
        }
        Object[] elements = (Object[]) array.getArray();
        List<Object> out = new ArrayList<>(elements.length);
        for (Object e : elements) {
            out.add(element(e));
        }
        return out;
    }

    static Object element(Object e) {
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

    private static <T> Object map(T value, Function<T, Object> f) {
        return value == null ? null : f.apply(value);
    }
}
