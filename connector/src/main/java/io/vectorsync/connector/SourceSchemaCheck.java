package io.vectorsync.connector;

import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.config.ConfigProblem;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.core.config.Relation;
import io.vectorsync.core.model.TableId;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * Checks the collection mappings against the live source database before anything starts, so a typo in a table or
 * column name is one clear start-up message rather than a stream of dead letters. Content problems are returned,
 * never thrown; reading the catalog is the only I/O here, the checks themselves are pure.
 */
public final class SourceSchemaCheck {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);

    private static final String TABLE_EXISTS = """
            SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p')""";
    private static final String COLUMNS = """
            SELECT a.attname FROM pg_catalog.pg_attribute a
            JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum""";
    private static final String PRIMARY_KEY = """
            SELECT a.attname FROM pg_catalog.pg_index i
            JOIN pg_catalog.pg_class c ON c.oid = i.indrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
            WHERE n.nspname = ? AND c.relname = ? AND i.indisprimary
            ORDER BY array_position(i.indkey::int2[], a.attnum)""";

    /** What the catalog says about one table. */
    record TableShape(List<String> columns, List<String> primaryKey) {
        TableShape {
            columns = List.copyOf(columns);
            primaryKey = List.copyOf(primaryKey);
        }
    }

    private final ConnectorConfig source;

    public SourceSchemaCheck(ConnectorConfig source) {
        this.source = source;
    }

    /** Every problem found, empty when the source is ready for these mappings. */
    public List<ConfigProblem> problems(MappingConfig mappings) {
        Connection connection;
        try {
            // Fail fast when the host does not answer, instead of hanging start-up.
            connection = source.sourceDatabase().connect("vectorsync-schema-check", CONNECT_TIMEOUT, SOCKET_TIMEOUT);
        } catch (SQLException e) {
            return List.of(new ConfigProblem(ConnectorConfig.HOST.name(), source.address(),
                    "the source database cannot be reached: " + e.getMessage()));
        }
        List<ConfigProblem> problems = new ArrayList<>();
        try (Connection c = connection) {
            checkWalLevel(walLevel(c), source.address()).ifPresent(problems::add);
            for (CollectionMapping m : mappings.collections()) {
                problems.addAll(check(m, readTable(c, m.table()), source.database()));
            }
        } catch (SQLException e) {
            problems.add(new ConfigProblem(ConnectorConfig.HOST.name(), source.address(),
                    "the catalog of the source database cannot be read: " + e.getMessage()));
        }
        return problems;
    }

    static Optional<ConfigProblem> checkWalLevel(String walLevel, String address) {
        if ("logical".equals(walLevel)) {
            return Optional.empty();
        }
        return Optional.of(new ConfigProblem(ConnectorConfig.HOST.name(), address, "the server runs with wal_level = '"
                + walLevel + "' but change capture needs logical decoding: set wal_level = logical in"
                + " postgresql.conf (or ALTER SYSTEM SET wal_level = logical) and restart PostgreSQL"));
    }

    /** The problems of one mapping against its table's shape; an empty shape means the table does not exist. */
    static List<ConfigProblem> check(CollectionMapping m, Optional<TableShape> shape, String database) {
        String name = m.name();
        if (shape.isEmpty()) {
            return List.of(new ConfigProblem(MappingConfig.TABLE.forName(name).name(), m.table().toString(),
                    "database '" + database + "' has no table " + m.table()));
        }
        List<String> columns = shape.get().columns();
        String known = "; its columns are " + columns;
        List<ConfigProblem> problems = new ArrayList<>();
        String idKey = MappingConfig.ID.forName(name).name();
        for (String id : m.idColumns()) {
            if (!columns.contains(id)) {
                problems.add(new ConfigProblem(idKey, id, "table " + m.table() + " has no such column" + known));
            }
        }
        for (String column : m.template().columns()) {
            if (!columns.contains(column)) {
                problems.add(new ConfigProblem(MappingConfig.TEMPLATE.forName(name).name(), m.template().toString(),
                        "it reads column '" + column + "' but table " + m.table() + " has no such column" + known));
            }
        }
        for (String column : m.metadataColumns()) {
            if (!columns.contains(column)) {
                problems.add(new ConfigProblem(MappingConfig.METADATA.forName(name).name(), column,
                        "table " + m.table() + " has no such column" + known));
            }
        }
        for (Relation relation : m.relations()) {
            if (!columns.contains(relation.column())) {
                problems.add(new ConfigProblem(MappingConfig.RELATIONS.forName(name).name(), relation.toString(),
                        "table " + m.table() + " has no column '" + relation.column() + "'" + known));
            }
        }
        if (problems.stream().noneMatch(p -> p.key().equals(idKey))) {
            checkPrimaryKey(m, shape.get().primaryKey()).ifPresent(problems::add);
        }
        return problems;
    }

    // Debezium keys every event by the primary key, and the sinks address documents by the id: they must agree.
    private static Optional<ConfigProblem> checkPrimaryKey(CollectionMapping m, List<String> primaryKey) {
        String key = MappingConfig.ID.forName(m.name()).name();
        String ids = String.join(",", m.idColumns());
        if (primaryKey.isEmpty()) {
            return Optional.of(new ConfigProblem(key, ids, "table " + m.table()
                    + " has no primary key; change events are keyed by it, so add one on these columns"));
        }
        if (!new HashSet<>(primaryKey).equals(new HashSet<>(m.idColumns()))) {
            return Optional.of(new ConfigProblem(key, ids, "it must name exactly the primary key columns of table "
                    + m.table() + ", which are " + primaryKey));
        }
        return Optional.empty();
    }

    private static String walLevel(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW wal_level")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Optional<TableShape> readTable(Connection c, TableId table) throws SQLException {
        if (names(c, TABLE_EXISTS, table).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TableShape(names(c, COLUMNS, table), names(c, PRIMARY_KEY, table)));
    }

    private static List<String> names(Connection c, String sql, TableId table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, table.schema());
            s.setString(2, table.table());
            List<String> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }
}
