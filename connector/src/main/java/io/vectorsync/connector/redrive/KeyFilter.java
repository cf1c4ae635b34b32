package io.vectorsync.connector.redrive;

import io.vectorsync.connector.SnapshotSignal;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.model.Identifiers;
import io.vectorsync.core.model.TableId;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The SQL filter that selects rows by key, as Debezium adds it to an incremental snapshot's chunk queries:
 * {@code "id" IN ('1','2')}, or for several key columns {@code ("a","b") IN (('1','x'),('2','y'))}. Identifiers are
 * validated and quoted, values are string literals: PostgreSQL coerces an untyped literal to the column's type, so
 * one shape serves every key type, and a value cannot end its literal. Pure text.
 */
final class KeyFilter {
    /** Most keys in one signal: Debezium parses the filter into every chunk query of the table. */
    static final int MAX_KEYS = 500;

    private KeyFilter() {
    }

    /**
     * Checks that every key has one non-null value per id column.
     *
     * @throws IllegalArgumentException naming the first bad key
     */
    static void requireKeys(List<String> idColumns, List<List<String>> keys) {
        if (idColumns.isEmpty()) {
            throw new IllegalArgumentException("at least one id column is needed");
        }
        idColumns.forEach(c -> Identifiers.requireValid(c, "id column"));
        for (List<String> key : keys) {
            if (key == null || key.size() != idColumns.size()) {
                throw new IllegalArgumentException("key " + key + " has " + (key == null ? 0 : key.size())
                        + " values but the id columns are " + idColumns);
            }
            if (key.stream().anyMatch(Objects::isNull)) {
                throw new IllegalArgumentException("key " + key + " holds a null value; a primary key has none");
            }
        }
    }

    /** The filter selecting exactly these keys; {@link #requireKeys} first. */
    static String in(List<String> idColumns, List<List<String>> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a filter needs at least one key");
        }
        StringBuilder sql = new StringBuilder(columns(idColumns)).append(" IN (");
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                sql.append(',');
            }
            sql.append(tuple(keys.get(i)));
        }
        return sql.append(')').toString();
    }

    /**
     * The keys in groups, in order, each small enough for one signal: at most {@link #MAX_KEYS} keys, and signal
     * data ({@link SnapshotSignal#incremental(TableId, String)}) of at most {@code dataLimit} characters, the size
     * of the signal table's data column.
     *
     * @throws IllegalArgumentException when one key alone does not fit
     */
    static List<List<List<String>>> chunks(TableId table, List<String> idColumns, List<List<String>> keys,
                                           int dataLimit) {
        // JSON escaping works character by character, so the data's length is the sum of its parts' lengths.
        long fixed = SnapshotSignal.incremental(table, "").length() + escapedLength(columns(idColumns) + " IN ()");
        List<List<List<String>>> chunks = new ArrayList<>();
        List<List<String>> current = new ArrayList<>();
        long length = fixed;
        for (List<String> key : keys) {
            long own = escapedLength(tuple(key));
            if (fixed + own > dataLimit) {
                throw new IllegalArgumentException("key " + key + " is too long for one signal: its snapshot signal"
                        + " would have " + (fixed + own) + " characters but the signal table's data column takes "
                        + dataLimit);
            }
            // A comma before every key but a chunk's first.
            if (!current.isEmpty() && (current.size() >= MAX_KEYS || length + 1 + own > dataLimit)) {
                chunks.add(current);
                current = new ArrayList<>();
                length = fixed;
            }
            length += (current.isEmpty() ? 0 : 1) + own;
            current.add(key);
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }

    /**
     * A SQL string literal of {@code value}: quotes doubled; a value holding a backslash becomes an escape string
     * ({@code E'…'}, backslashes doubled), which reads the same whatever {@code standard_conforming_strings} says.
     */
    static String literal(String value) {
        String quoted = value.replace("'", "''");
        if (value.indexOf('\\') < 0) {
            return "'" + quoted + "'";
        }
        return "E'" + quoted.replace("\\", "\\\\") + "'";
    }

    private static String columns(List<String> idColumns) {
        if (idColumns.size() == 1) {
            return Identifiers.quote(idColumns.get(0));
        }
        List<String> quoted = idColumns.stream().map(Identifiers::quote).toList();
        return "(" + String.join(",", quoted) + ")";
    }

    private static String tuple(List<String> key) {
        if (key.size() == 1) {
            return literal(key.get(0));
        }
        return "(" + String.join(",", key.stream().map(KeyFilter::literal).toList()) + ")";
    }

    private static long escapedLength(String text) {
        return Json.write(text).length() - 2L;
    }
}
