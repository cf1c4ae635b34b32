package io.vectorsync.connector.catalog;

import java.util.List;
import java.util.Optional;

/**
 * One table of the source database: its columns in order, its primary key, and how many rows it holds.
 *
 * @param rows  the row count: exact when {@code exact} (up to {@link SourceCatalog#COUNT_LIMIT} + 1), otherwise the
 *              planner's estimate from the last ANALYZE (-1: unknown)
 */
public record CatalogTable(String schema, String name, List<CatalogColumn> columns, List<String> primaryKey,
                           long rows, boolean exact) {

    public CatalogTable {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
    }

    public String qualifiedName() {
        return schema + "." + name;
    }

    public Optional<CatalogColumn> column(String column) {
        return columns.stream().filter(c -> c.name().equals(column)).findFirst();
    }

    /** The string columns outside the primary key, in table order. */
    public List<CatalogColumn> textColumns() {
        return columns.stream().filter(CatalogColumn::isText).filter(c -> !primaryKey.contains(c.name())).toList();
    }
}
