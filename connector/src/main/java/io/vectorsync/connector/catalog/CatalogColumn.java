package io.vectorsync.connector.catalog;

/**
 * One column of a source table as the catalog describes it.
 *
 * @param name     column name
 * @param type     its type as PostgreSQL prints it ({@code format_type}), e.g. {@code character varying(40)}
 * @param typeName the type's own name ({@code pg_type.typname}), e.g. {@code varchar}, {@code _int4}, {@code vector}
 * @param category {@code pg_type.typcategory}: S string, N numeric, B boolean, D date/time, A array, U user-defined…
 */
public record CatalogColumn(String name, String type, String typeName, char category) {

    /** A column whose text is worth embedding: text, varchar, char, citext and other string types. */
    public boolean isText() {
        return category == 'S' && !typeName.equals("name");
    }
}
