package io.vectorsync.validation;

import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.debezium.SourceVector;
import io.vectorsync.core.mapping.DocumentIds;
import io.vectorsync.core.model.ContentHash;
import io.vectorsync.core.model.Identifiers;
import io.vectorsync.core.source.SourceDatabase;
import io.vectorsync.sink.api.MetadataJson;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Reads a collection's source table over JDBC with keyset pagination on the id columns
 * ({@code WHERE (a, b) > (?, ?) ORDER BY a, b LIMIT n}), rendering each row's text and hash exactly as the pipeline
 * does. Key values are bound as untyped text, so PostgreSQL reads them as the id columns' own types. Autocommit:
 * no page holds a transaction open on the source. One thread at a time.
 */
public final class SourceScanner implements SourceTable {
    /** Keys bound in one {@code IN} list, at most; far below PostgreSQL's 65535 parameters. */
    static final int KEYS_PER_QUERY = 1000;
    private static final String DATA_EXCEPTION_CLASS = "22";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** A page query should take well under a second; this only stops a dead server from hanging the run. */
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(300);
    private static final String COLUMNS = """
            SELECT a.attname, t.typname, a.atttypmod FROM pg_catalog.pg_attribute a
            JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
            JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum""";

    private final SourceDatabase database;
    private final CollectionMapping mapping;
    private Connection connection;
    private List<SourceColumn> columns;
    private String select;

    public SourceScanner(SourceDatabase database, CollectionMapping mapping) {
        this.database = database;
        this.mapping = mapping;
    }

    @Override
    public long count() {
        return query("count the rows of " + mapping.table(), "SELECT count(*) FROM " + mapping.table().quoted(),
                List.of(), rs -> {
                    rs.next();
                    return rs.getLong(1);
                });
    }

    @Override
    public List<SourceRow> page(List<String> after, int limit) {
        String order = idColumnList();
        String sql = select() + (after == null ? "" : " WHERE (" + order + ") > (" + placeholders(after.size()) + ")")
                + " ORDER BY " + order + " LIMIT " + limit;
        return query("read a page of " + mapping.table(), sql, after == null ? List.of() : after, this::rows);
    }

    @Override
    public Map<String, SourceRow> rows(Collection<List<String>> keys) {
        Map<String, SourceRow> found = new LinkedHashMap<>();
        List<List<String>> all = List.copyOf(new LinkedHashSet<>(keys));
        for (int from = 0; from < all.size(); from += KEYS_PER_QUERY) {
            List<List<String>> chunk = all.subList(from, Math.min(all.size(), from + KEYS_PER_QUERY));
            try {
                rowsOf(chunk).forEach(r -> found.put(r.id(), r));
            } catch (KeyTypeException e) {
                // Some key cannot be a value of its id column (an orphan's id, say): ask one key at a time, so the
                // others are still found and that one is simply absent.
                for (List<String> key : chunk) {
                    try {
                        rowsOf(List.of(key)).forEach(r -> found.put(r.id(), r));
                    } catch (KeyTypeException absent) {
                        // no row can have this key
                    }
                }
            }
        }
        return found;
    }

    @Override
    public List<List<String>> sampleKeys(int n) {
        String sql = "SELECT " + keyColumns() + " FROM " + mapping.table().quoted() + " ORDER BY random() LIMIT " + n;
        return query("sample the keys of " + mapping.table(), sql, List.of(), rs -> {
            List<List<String>> keys = new ArrayList<>();
            while (rs.next()) {
                keys.add(key(rs));
            }
            return keys;
        });
    }

    @Override
    public Set<String> existing(Collection<String> documentIds) {
        Map<List<String>, String> keys = new LinkedHashMap<>();
        for (String id : documentIds) {
            try {
                keys.put(DocumentIds.parse(mapping, id), id);
            } catch (IllegalArgumentException e) {
                // not an id the pipeline can have given a row of this table
            }
        }
        Set<String> found = rows(keys.keySet()).keySet();
        return documentIds.stream().filter(found::contains).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    @Override
    public void close() {
        discard();
    }

    private List<SourceRow> rowsOf(List<List<String>> keys) {
        String tuple = "(" + placeholders(mapping.idColumns().size()) + ")";
        String sql = select() + " WHERE (" + idColumnList() + ") IN ("
                + String.join(", ", Collections.nCopies(keys.size(), tuple)) + ")";
        List<String> parameters = keys.stream().flatMap(List::stream).toList();
        return query("read rows of " + mapping.table() + " by key", sql, parameters, this::rows, true);
    }

    private List<SourceRow> rows(ResultSet rs) throws SQLException {
        List<SourceRow> rows = new ArrayList<>();
        int keyCount = mapping.idColumns().size();
        while (rs.next()) {
            Map<String, Object> values = new HashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                values.put(columns.get(i).name(), SourceValues.read(rs, keyCount + i + 1, columns.get(i)));
            }
            String text = mapping.template().render(values);
            String id = DocumentIds.documentId(mapping, values);
            if (mapping.vectorColumn().isPresent()) {
                float[] vector = vector(values.get(mapping.vectorColumn().get()));
                rows.add(new SourceRow(key(rs), id, text, ContentHash.sha256(text, vector), metadata(values), true,
                        vector));
            } else {
                rows.add(new SourceRow(key(rs), id, text, ContentHash.sha256(text), metadata(values)));
            }
        }
        return rows;
    }

    /**
     * The source vector as the pipeline reads it (JDBC gives pgvector's text, a real[]/float8[] as a list, json as
     * its text: all forms {@link SourceVector} reads). One the pipeline refused (not numbers) counts as none: the
     * stores do not have it, so the row shows as missing.
     */
    private static float[] vector(Object value) {
        try {
            return SourceVector.parse(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The carried columns as the pipeline writes them ({@code DocumentMapper.metadata}) and every store reads them
     * back: through {@link MetadataJson}, so numbers, lists and nulls compare by their JSON form.
     */
    private Map<String, Object> metadata(Map<String, Object> values) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (String column : mapping.carriedColumns()) {
            metadata.put(column, values.get(column));
        }
        return MetadataJson.parse(MetadataJson.write(metadata));
    }

    private List<String> key(ResultSet rs) throws SQLException {
        List<String> key = new ArrayList<>(mapping.idColumns().size());
        for (int i = 1; i <= mapping.idColumns().size(); i++) {
            key.add(rs.getString(i));
        }
        return key;
    }

    /** {@code SELECT "a"::text, "b"::text, <every column the id, text and metadata need> FROM t}, the key first. */
    private String select() {
        if (select == null) {
            columns = describe();
            select = "SELECT " + keyColumns() + ", " + columns.stream().map(SourceColumn::selectExpression)
                    .collect(Collectors.joining(", ")) + " FROM " + mapping.table().quoted();
        }
        return select;
    }

    /** The id columns as text, aliased so that ORDER BY and WHERE still name the columns themselves. */
    private String keyColumns() {
        List<String> ids = mapping.idColumns();
        return IntStream.range(0, ids.size()).mapToObj(i -> Identifiers.quote(ids.get(i)) + "::text AS "
                + Identifiers.quote("vectorsync_key_" + i)).collect(Collectors.joining(", "));
    }

    private String idColumnList() {
        return mapping.idColumns().stream().map(Identifiers::quote).collect(Collectors.joining(", "));
    }

    private static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    private List<SourceColumn> describe() {
        Map<String, SourceColumn> all = query("read the columns of " + mapping.table(), COLUMNS,
                List.of(mapping.table().schema(), mapping.table().table()), rs -> {
                    Map<String, SourceColumn> cols = new LinkedHashMap<>();
                    while (rs.next()) {
                        cols.put(rs.getString(1), new SourceColumn(rs.getString(1), rs.getString(2), rs.getInt(3)));
                    }
                    return cols;
                });
        if (all.isEmpty()) {
            throw new SourceSchemaException("collection '" + mapping.name() + "': source database " + database.address()
                    + " has no table " + mapping.table());
        }
        Set<String> needed = new LinkedHashSet<>(mapping.sourceColumns());
        List<String> lacking = needed.stream().filter(c -> !all.containsKey(c)).toList();
        if (!lacking.isEmpty()) {
            throw new SourceSchemaException("collection '" + mapping.name() + "': table " + mapping.table()
                    + " has no column " + lacking + "; its columns are " + all.keySet());
        }
        return needed.stream().map(all::get).toList();
    }

    @FunctionalInterface
    private interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> T query(String what, String sql, List<String> parameters, Reader<T> reader) {
        return query(what, sql, parameters, reader, false);
    }

    /**
     * Runs a query with untyped text parameters; with {@code keysFromOutside}, a key that does not fit its id
     * column's type is a {@link KeyTypeException} rather than a failure of the source.
     */
    private <T> T query(String what, String sql, List<String> parameters, Reader<T> reader, boolean keysFromOutside) {
        try {
            if (connection == null) {
                connection = database.connect("vectorsync-validate", CONNECT_TIMEOUT, SOCKET_TIMEOUT);
            }
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                for (int i = 0; i < parameters.size(); i++) {
                    ps.setObject(i + 1, parameters.get(i), Types.OTHER);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    return reader.read(rs);
                }
            }
        } catch (SQLException e) {
            String state = e.getSQLState();
            if (keysFromOutside && state != null && state.startsWith(DATA_EXCEPTION_CLASS)) {
                throw new KeyTypeException(e);
            }
            discard();
            throw new SourceUnavailableException("could not " + what + " in source database " + database.address()
                    + ": " + e.getMessage(), e);
        }
    }

    private void discard() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // closing a broken connection: nothing left to release
            }
            connection = null;
        }
    }

    /** A bound key value is not a valid value of its id column's type. */
    private static final class KeyTypeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        KeyTypeException(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
