package io.vectorsync.validation;

import io.vectorsync.core.debezium.DebeziumEncoding;
import org.postgresql.util.PGInterval;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Source column values read over JDBC, turned into what the pipeline gets for them from Debezium
 * ({@link DebeziumEncoding}), so that a template renders to the very text, and so the very content hash, the
 * pipeline stored. Types not listed here are read as their text, which is what Debezium sends for the text-like
 * ones (inet, xml, enums, citext ...).
 */
final class SourceValues {
    private SourceValues() {
    }

    /** The value of column {@code index} of the current row, as the pipeline would see it; null for SQL NULL. */
    static Object read(ResultSet rs, int index, SourceColumn column) throws SQLException {
        Object value = switch (column.type()) {
            case "int2", "int4" -> DebeziumEncoding.integer(rs.getInt(index));
            case "int8" -> rs.getLong(index);
            case "float4" -> DebeziumEncoding.float32(rs.getFloat(index));
            case "float8" -> rs.getDouble(index);
            case "bool" -> rs.getBoolean(index);
            case "date" -> map(rs.getObject(index, LocalDate.class), DebeziumEncoding::epochDays);
            case "time" -> map(rs.getObject(index, LocalTime.class), DebeziumEncoding::millisOfDay);
            case "timetz" -> map(rs.getObject(index, OffsetTime.class), DebeziumEncoding::zonedTime);
            case "timestamp" -> map(rs.getObject(index, LocalDateTime.class), DebeziumEncoding::epochMillis);
            case "timestamptz" -> map(rs.getObject(index, OffsetDateTime.class),
                    t -> DebeziumEncoding.zonedTimestamp(t, column.fractionDigits()));
            case "interval" -> map((PGInterval) rs.getObject(index), SourceValues::intervalMicros);
            case "bytea" -> map(rs.getBytes(index), DebeziumEncoding::base64);
            default -> column.type().startsWith("_") ? array(rs.getArray(index)) : rs.getString(index);
        };
        return rs.wasNull() ? null : value;
    }

    static long intervalMicros(PGInterval i) {
        return DebeziumEncoding.intervalMicros(i.getYears(), i.getMonths(), i.getDays(), i.getHours(), i.getMinutes(),
                i.getSeconds());
    }

    /** An array arrives as a JSON array, read back as a list. */
    private static List<Object> array(Array array) throws SQLException {
        if (array == null) {
            return null;
        }
        Object[] elements = (Object[]) array.getArray();
        List<Object> out = new ArrayList<>(elements.length);
        for (Object e : elements) {
            out.add(DebeziumEncoding.element(e));
        }
        return out;
    }

    private static <T> Object map(T value, Function<T, Object> f) {
        return value == null ? null : f.apply(value);
    }
}
