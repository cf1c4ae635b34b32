package io.vectorsync.core.mapping;

import io.vectorsync.core.config.CollectionMapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Document ids from id column values and back. One id column: its value as text. Several: their values joined by
 * {@code |}, with {@code |} and {@code \} inside a value escaped by {@code \}, so the id can be split back into the
 * values unambiguously. The pipeline names documents with {@link #documentId}; the validator and repair turn ids back
 * into source keys with {@link #parse}.
 */
public final class DocumentIds {
    private static final char SEPARATOR = '|';
    private static final char ESCAPE = '\\';

    private DocumentIds() {
    }

    /**
     * @param row the row's columns as the pipeline sees them (at least the id columns)
     * @throws IllegalArgumentException when an id column is missing or NULL
     */
    public static String documentId(CollectionMapping mapping, Map<String, Object> row) {
        List<String> values = new ArrayList<>(mapping.idColumns().size());
        for (String column : mapping.idColumns()) {
            Object value = row.get(column);
            if (value == null) {
                throw new IllegalArgumentException("id column '" + column + "' of collection '" + mapping.name()
                        + "' is missing or NULL");
            }
            values.add(text(value));
        }
        return join(values);
    }

    /**
     * An id column's value as text. An array (Debezium sends it as a list) is written as a PostgreSQL array literal,
     * {@code {a,"b c",NULL}}: distinct arrays get distinct ids, and the text reads back as the array when the
     * validator or a repair binds it to the column (a list's {@code toString()} did neither).
     */
    static String text(Object value) {
        if (value instanceof List<?> list) {
            StringBuilder out = new StringBuilder("{");
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                Object element = list.get(i);
                if (element == null) {
                    out.append("NULL");
                } else if (element instanceof List<?>) {
                    out.append(text(element));
                } else {
                    arrayElement(out, String.valueOf(element));
                }
            }
            return out.append('}').toString();
        }
        return String.valueOf(value);
    }

    /** One element as PostgreSQL's {@code array_out} writes it: quoted when it could be read otherwise. */
    private static void arrayElement(StringBuilder out, String element) {
        boolean quote = element.isEmpty() || element.equalsIgnoreCase("NULL");
        for (int i = 0; i < element.length() && !quote; i++) {
            char c = element.charAt(i);
            quote = c == '"' || c == '\\' || c == '{' || c == '}' || c == ',' || c == ' ' || c == '\t' || c == '\n'
                    || c == '\r' || c == '\u000B' || c == '\f';
        }
        if (!quote) {
            out.append(element);
            return;
        }
        out.append('"');
        for (int i = 0; i < element.length(); i++) {
            char c = element.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        out.append('"');
    }

    /** The id of the document whose id columns hold {@code values} (as text), in the mapping's column order. */
    public static String join(List<String> values) {
        if (values.size() == 1) {
            return values.get(0);
        }
        StringBuilder id = new StringBuilder();
        for (int v = 0; v < values.size(); v++) {
            String value = values.get(v);
            if (v > 0) {
                id.append(SEPARATOR);
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == SEPARATOR || c == ESCAPE) {
                    id.append(ESCAPE);
                }
                id.append(c);
            }
        }
        return id.toString();
    }

    /**
     * The id column values (as text) a document id stands for, in the mapping's column order.
     *
     * @throws IllegalArgumentException when the id does not hold exactly one value per id column, or ends in a lone
     *                                  escape: no row of the mapping's table can have produced it
     */
    public static List<String> parse(CollectionMapping mapping, String id) {
        int columns = mapping.idColumns().size();
        if (columns == 1) {
            return List.of(id);
        }
        List<String> values = new ArrayList<>(columns);
        StringBuilder value = new StringBuilder();
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c == ESCAPE) {
                if (i + 1 == id.length()) {
                    throw new IllegalArgumentException("id '" + id + "' of collection '" + mapping.name()
                            + "' ends in a lone '\\'");
                }
                value.append(id.charAt(++i));
            } else if (c == SEPARATOR) {
                values.add(value.toString());
                value.setLength(0);
            } else {
                value.append(c);
            }
        }
        values.add(value.toString());
        if (values.size() != columns) {
            throw new IllegalArgumentException("id '" + id + "' of collection '" + mapping.name() + "' holds "
                    + values.size() + " values but the collection has " + columns + " id columns "
                    + mapping.idColumns());
        }
        return List.copyOf(values);
    }
}
