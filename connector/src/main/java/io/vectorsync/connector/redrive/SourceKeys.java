package io.vectorsync.connector.redrive;

import io.vectorsync.core.model.Identifiers;
import io.vectorsync.core.model.TableId;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** What re-driving asks the source database: a table's primary key, the WAL position, which keys it holds. */
final class SourceKeys {
    private static final String PRIMARY_KEY = """
            SELECT a.attname, t.typname,
                   format_type(a.atttypid, CASE WHEN t.typname = 'numeric' THEN a.atttypmod END)
            FROM pg_catalog.pg_index i
            JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
            JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
            WHERE i.indrelid = to_regclass(?) AND i.indisprimary
            ORDER BY array_position(i.indkey::int2[], a.attnum)""";

    /** One key as the source sees it now. */
    record Lookup(boolean present, List<String> printed) {
    }

    private SourceKeys() {
    }

    /**
     * The table's primary key in its declared order, the order of Debezium's record key.
     *
     * @throws IllegalArgumentException when the table has no primary key or a key type that is not re-driven
     */
    static List<KeyColumn> primaryKey(Connection c, TableId table) throws SQLException {
        List<KeyColumn> columns = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(PRIMARY_KEY)) {
            s.setString(1, table.quoted());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    String typname = rs.getString(2);
                    KeyColumn.Kind kind = KeyColumn.kindOf(typname).orElseThrow(() -> new IllegalArgumentException(
                            "primary key column '" + name + "' of " + table + " has type " + typname
                                    + "; only integer, boolean, text, uuid and numeric keys can be re-driven"));
                    columns.add(new KeyColumn(name, rs.getString(3), kind));
                }
            }
        }
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("table " + table + " does not exist or has no primary key");
        }
        return columns;
    }

    /** The server's current WAL write position, as the number Debezium gives as {@code source.lsn}. */
    static long currentLsn(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Whether the table holds each key, comparing by the key columns' own types (so {@code '01'} finds integer 1),
     * and each key's values as PostgreSQL prints them in those types.
     *
     * @param keys values in {@code primaryKey} order
     * @return one lookup per key, in order
     * @throws SQLException also when a value is not valid for its column's type
     */
    static List<Lookup> lookUp(Connection c, TableId table, List<KeyColumn> primaryKey, List<List<String>> keys)
            throws SQLException {
        StringBuilder printed = new StringBuilder();
        StringBuilder matches = new StringBuilder();
        StringBuilder arrays = new StringBuilder();
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < primaryKey.size(); i++) {
            KeyColumn column = primaryKey.get(i);
            String value = "k.c" + i + "::" + column.cast();
            printed.append(", ").append(value).append("::text");
            matches.append(i == 0 ? "" : " AND ").append("t.").append(Identifiers.quote(column.name())).append(" = ")
                    .append(value);
            arrays.append(i == 0 ? "" : ", ").append("?::text[]");
            names.append("c").append(i).append(", ");
        }
        String sql = "SELECT EXISTS (SELECT 1 FROM " + table.quoted() + " t WHERE " + matches + ")" + printed
                + " FROM unnest(" + arrays + ") WITH ORDINALITY AS k(" + names + "ord) ORDER BY k.ord";
        List<Lookup> out = new ArrayList<>(keys.size());
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < primaryKey.size(); i++) {
                String[] column = new String[keys.size()];
                for (int k = 0; k < keys.size(); k++) {
                    column[k] = keys.get(k).get(i);
                }
                Array array = c.createArrayOf("text", column);
                s.setArray(i + 1, array);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    List<String> values = new ArrayList<>(primaryKey.size());
                    for (int i = 0; i < primaryKey.size(); i++) {
                        values.add(rs.getString(i + 2));
                    }
                    out.add(new Lookup(rs.getBoolean(1), values));
                }
            }
        }
        return out;
    }

    /**
     * Plans a query with the filter, so a filter PostgreSQL would refuse (a value that is not valid for its
     * column's type) is refused here, before Debezium runs it inside the connector.
     */
    static void checkFilter(Connection c, TableId table, String filter) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("EXPLAIN SELECT 1 FROM " + table.quoted() + " WHERE " + filter);
        }
    }
}
