package io.vectorsync.core.model;

import java.util.Objects;

/** A source table, schema-qualified; both parts are validated SQL identifiers. */
public record TableId(String schema, String table) {

    public TableId {
        Identifiers.requireValid(schema, "schema");
        Identifiers.requireValid(table, "table");
    }

    /** Parses {@code schema.table}; a bare {@code table} means schema {@code public}. */
    public static TableId parse(String qualified) {
        Objects.requireNonNull(qualified, "table");
        int dot = qualified.indexOf('.');
        if (dot < 0) {
            return new TableId("public", qualified.trim());
        }
        return new TableId(qualified.substring(0, dot).trim(), qualified.substring(dot + 1).trim());
    }

    /** Quoted, safe to splice into SQL. */
    public String quoted() {
        return Identifiers.quote(schema) + "." + Identifiers.quote(table);
    }

    @Override
    public String toString() {
        return schema + "." + table;
    }
}
