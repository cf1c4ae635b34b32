package io.vectorsync.connector.redrive;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One primary-key column of a source table, and how Debezium writes its values in a record key (JSON, schemas
 * disabled, {@code decimal.handling.mode=string}): integers as JSON numbers, booleans as JSON booleans, text, uuid
 * and numeric as JSON strings. Other key types are not re-driven: their JSON form depends on converter settings.
 *
 * @param name  the column
 * @param cast  the SQL type a text value is cast to, from the catalog; numeric keeps its scale, so the cast prints
 *              a value as Debezium receives it ({@code 1.5} as {@code 1.50} in a numeric(10,2))
 * @param kind  how the value is written in JSON
 */
record KeyColumn(String name, String cast, Kind kind) {
    private static final Pattern INTEGER = Pattern.compile("\\s*[+-]?[0-9]+\\s*");

    enum Kind { NUMBER, BOOLEAN, TEXT }

    /**
     * The kind of a PostgreSQL type by its {@code pg_type.typname}; empty for a type that is not re-driven.
     */
    static Optional<Kind> kindOf(String typname) {
        return switch (typname) {
            case "int2", "int4", "int8" -> Optional.of(Kind.NUMBER);
            case "bool" -> Optional.of(Kind.BOOLEAN);
            case "text", "varchar", "bpchar", "name", "uuid", "numeric", "citext" -> Optional.of(Kind.TEXT);
            default -> Optional.empty();
        };
    }

    /**
     * Checks a value as the key text the caller gave, before it goes to the database.
     *
     * @throws IllegalArgumentException when an integer column's value is no integer
     */
    void requireValid(String value, Object key) {
        if (kind == Kind.NUMBER && !INTEGER.matcher(value).matches()) {
            throw new IllegalArgumentException("key " + key + " has '" + value + "' for integer column '" + name
                    + "'");
        }
    }

    /**
     * The JSON value of a key column, from the text PostgreSQL prints for it (see {@link #cast}).
     *
     * @throws IllegalArgumentException when an integer does not fit a long
     */
    Object json(String printed) {
        return switch (kind) {
            case NUMBER -> Long.parseLong(printed.trim());
            case BOOLEAN -> switch (printed.toLowerCase(Locale.ROOT)) {
                case "true", "t" -> Boolean.TRUE;
                case "false", "f" -> Boolean.FALSE;
                default -> throw new IllegalArgumentException("'" + printed + "' is not a boolean");
            };
            case TEXT -> printed;
        };
    }

    /**
     * The key columns in primary-key order with their JSON values, as Debezium's record key holds them (see
     * {@link io.vectorsync.core.debezium.DeleteEvent#keyJson}).
     *
     * @param printed each key column's value as PostgreSQL prints it, in {@code primaryKey} order
     */
    static Map<String, Object> recordKey(List<KeyColumn> primaryKey, List<String> printed) {
        if (primaryKey.size() != printed.size()) {
            throw new IllegalArgumentException("primary key " + primaryKey + " needs " + primaryKey.size()
                    + " values, got " + printed);
        }
        Map<String, Object> key = new LinkedHashMap<>();
        for (int i = 0; i < primaryKey.size(); i++) {
            KeyColumn column = primaryKey.get(i);
            key.put(column.name(), column.json(printed.get(i)));
        }
        return key;
    }
}
