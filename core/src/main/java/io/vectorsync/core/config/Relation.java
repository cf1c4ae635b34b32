package io.vectorsync.core.config;

import io.vectorsync.core.model.Identifiers;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A foreign-key column that graph stores turn into a relationship: {@code author_id->AUTHORED_BY:Author} makes
 * {@code (:articles {id})-[:AUTHORED_BY]->(:Author {id: <author_id>})}. The column's value is carried in the
 * document's metadata, so every store sees it; only graph stores draw the edge.
 *
 * @param column source column holding the referenced id
 * @param type   relationship type
 * @param label  label of the referenced node, whose {@code id} property is the column's value as text
 */
public record Relation(String column, String type, String label) {
    private static final Pattern FORM = Pattern.compile("\\s*([^\\s-]+)\\s*->\\s*([^\\s:]+)\\s*:\\s*(\\S+)\\s*");

    public Relation {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(label, "label");
        require(column, "column");
        require(type, "relationship type");
        require(label, "label");
    }

    /**
     * Parses {@code column->TYPE:Label}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Relation parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("a relation must look like column->TYPE:Label,"
                    + " e.g. author_id->AUTHORED_BY:Author");
        }
        return new Relation(m.group(1), m.group(2), m.group(3));
    }

    private static void require(String value, String what) {
        if (!Identifiers.isValid(value)) {
            throw new IllegalArgumentException("the " + what + " '" + value + "' must match [A-Za-z_][A-Za-z0-9_]*");
        }
    }

    @Override
    public String toString() {
        return column + "->" + type + ":" + label;
    }
}
