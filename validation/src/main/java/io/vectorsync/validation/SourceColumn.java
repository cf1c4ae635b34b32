package io.vectorsync.validation;

import io.vectorsync.core.model.Identifiers;

/**
 * A source column as the catalog describes it.
 *
 * @param type   PostgreSQL's type name ({@code pg_type.typname}): {@code int4}, {@code timestamptz}, {@code _text}
 *               for an array of text, or a user type's name
 * @param typmod the column's type modifier ({@code atttypmod}), -1 when it has none
 */
public record SourceColumn(String name, String type, int typmod) {

    /** Fraction digits of a timestamp or time column: its declared precision, PostgreSQL's 6 when undeclared. */
    public int fractionDigits() {
        return typmod < 0 ? 6 : typmod;
    }

    /**
     * The select-list expression that reads the column. {@code money} is read as numeric: its text form carries
     * the server's currency symbol, while Debezium gives the plain amount.
     */
    public String selectExpression() {
        String quoted = Identifiers.quote(name);
        return type.equals("money") ? quoted + "::numeric" : quoted;
    }
}
