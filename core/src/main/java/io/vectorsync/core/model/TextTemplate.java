package io.vectorsync.core.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The text to embed, built from row columns: {@code "{title}: {body}"}. A NULL column renders as empty text.
 * {@code {{} and {}}} are literal braces.
 */
public final class TextTemplate {
    private final String source;
    private final List<Part> parts;

    private record Part(String literal, String column) {
    }

    private TextTemplate(String source, List<Part> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
    }

    /** @throws IllegalArgumentException saying what is wrong with the template */
    public static TextTemplate parse(String template) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '{') {
                literal.append('{');
                i += 2;
            } else if (c == '}' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
                literal.append('}');
                i += 2;
            } else if (c == '{') {
                int end = template.indexOf('}', i);
                if (end < 0) {
                    throw new IllegalArgumentException("it has an unclosed '{' at position " + i);
                }
                String column = template.substring(i + 1, end).trim();
                if (!Identifiers.isValid(column)) {
                    throw new IllegalArgumentException("'{" + column + "}' is not a valid column name");
                }
                if (literal.length() > 0) {
                    parts.add(new Part(literal.toString(), null));
                    literal.setLength(0);
                }
                parts.add(new Part(null, column));
                i = end + 1;
            } else if (c == '}') {
                throw new IllegalArgumentException("it has an unmatched '}' at position " + i);
            } else {
                literal.append(c);
                i++;
            }
        }
        if (literal.length() > 0) {
            parts.add(new Part(literal.toString(), null));
        }
        if (parts.stream().noneMatch(p -> p.column != null)) {
            throw new IllegalArgumentException("it names no column; write columns as {column}");
        }
        return new TextTemplate(template, parts);
    }

    /** The columns the template reads, in order of first use. */
    public Set<String> columns() {
        Set<String> cols = new LinkedHashSet<>();
        parts.stream().filter(p -> p.column != null).forEach(p -> cols.add(p.column));
        return cols;
    }

    public String render(Map<String, Object> row) {
        StringBuilder out = new StringBuilder();
        for (Part p : parts) {
            if (p.literal != null) {
                out.append(p.literal);
            } else {
                Object v = row.get(p.column);
                if (v != null) {
                    out.append(v);
                }
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return source;
    }
}
