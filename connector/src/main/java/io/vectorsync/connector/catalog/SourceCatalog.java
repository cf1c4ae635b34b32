package io.vectorsync.connector.catalog;

import io.vectorsync.core.model.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the tables of some schemas of the source database from its catalog: columns, primary key and row count. The
 * count is the planner's estimate when the table has been analysed; otherwise the rows are counted, up to
 * {@link #COUNT_LIMIT}, so a huge table never analysed is not scanned whole.
 */
public final class SourceCatalog {
    /** Above this, an unanalysed table's count stops and is reported as "more than". */
    public static final long COUNT_LIMIT = 1_000_000;

    private static final String TABLES = """
            SELECT n.nspname, c.relname, c.oid, c.reltuples::bigint
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname = ANY (?)
            ORDER BY n.nspname, c.relname""";
    private static final String COLUMNS = """
            SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), t.typname, t.typcategory
            FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
            WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum""";
    private static final String PRIMARY_KEY = """
            SELECT a.attname FROM pg_catalog.pg_index i
            JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
            WHERE i.indrelid = ? AND i.indisprimary
            ORDER BY array_position(i.indkey::int2[], a.attnum)""";

    private final Connection connection;

    public SourceCatalog(Connection connection) {
        this.connection = connection;
    }

    /** The ordinary and partitioned tables of these schemas, by schema and name. */
    public List<CatalogTable> tables(List<String> schemas) throws SQLException {
        List<CatalogTable> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(TABLES)) {
            ps.setArray(1, connection.createArrayOf("text", schemas.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String schema = rs.getString(1);
                    String name = rs.getString(2);
                    long oid = rs.getLong(3);
                    long estimate = rs.getLong(4);
                    // Never analysed: counted, unless the name cannot be quoted safely (such a table is not mapped).
                    boolean exact = estimate < 0 && Identifiers.isValid(schema) && Identifiers.isValid(name);
                    long rows = exact ? count(schema, name) : estimate;
                    out.add(new CatalogTable(schema, name, columns(oid), primaryKey(oid), rows, exact));
                }
            }
        }
        return out;
    }

    private List<CatalogColumn> columns(long oid) throws SQLException {
        List<CatalogColumn> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(COLUMNS)) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new CatalogColumn(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4).charAt(0)));
                }
            }
        }
        return out;
    }

    private List<String> primaryKey(long oid) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(PRIMARY_KEY)) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Never analysed (reltuples -1): counted, at most {@link #COUNT_LIMIT} + 1 rows read. */
    private long count(String schema, String table) throws SQLException {
        String sql = "SELECT count(*) FROM (SELECT 1 FROM " + Identifiers.quote(schema) + "."
                + Identifiers.quote(table) + " LIMIT " + (COUNT_LIMIT + 1) + ") s";
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
