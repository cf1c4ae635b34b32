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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
            SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a
            JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum""";
    private static final String PRIMARY_KEY = """
            SELECT a.attname FROM pg_catalog.pg_index i
            JOIN pg_catalog.pg_class c ON c.oid = i.indrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
            WHERE n.nspname = ? AND c.relname = ? AND i.indisprimary
            ORDER BY array_position(i.indkey::int2[], a.attnum)""";
    private static final String REPLICA_IDENTITY = """
            SELECT c.relreplident::text FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?""";
    /** Column types a source vector may have (as format_type writes them, without a pgvector width). */
    static final Set<String> VECTOR_TYPES = Set.of("vector", "halfvec", "real[]", "double precision[]", "json",
            "jsonb");
    /**
     * Debezium 3.6 cannot convert its unchanged-TOAST placeholder for these types and sends NULL (logging "Failed to
     * properly convert data value ... of type vector" or "_float4"; seen in SourceVectorsIT), so an update that leaves
     * a TOASTed vector alone would arrive without it. With REPLICA IDENTITY FULL, Debezium fills it from the old row.
     * json and jsonb arrive as text, whose placeholder the pipeline recognises.
     */
    static final Set<String> NEEDS_FULL_IDENTITY = Set.of("vector", "halfvec", "real[]", "double precision[]");

    /**
     * What the catalog says about one table.
     *
     * @param types           each column's type as {@code format_type} writes it, e.g. {@code vector(1536)}
     * @param fullIdentity    REPLICA IDENTITY FULL: the old row is logged whole
     */
    record TableShape(List<String> columns, List<String> primaryKey, Map<String, String> types,
                      boolean fullIdentity) {
        TableShape {
            columns = List.copyOf(columns);
            primaryKey = List.copyOf(primaryKey);
            types = Map.copyOf(types);
        }

        TableShape(List<String> columns, List<String> primaryKey) {
            this(columns, primaryKey, Map.of(), false);
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
        m.vectorColumn().ifPresent(column -> checkVectorColumn(m, shape.get(), column, known)
                .ifPresent(problems::add));
        if (problems.stream().noneMatch(p -> p.key().equals(idKey))) {
            checkPrimaryKey(m, shape.get().primaryKey()).ifPresent(problems::add);
        }
        return problems;
    }

    private static Optional<ConfigProblem> checkVectorColumn(CollectionMapping m, TableShape shape, String column,
                                                             String known) {
        String key = MappingConfig.VECTOR.forName(m.name()).name();
        if (!shape.columns().contains(column)) {
            return Optional.of(new ConfigProblem(key, column, "table " + m.table() + " has no such column" + known));
        }
        String type = shape.types().get(column);
        if (type == null) {
            return Optional.empty(); // a shape without types: nothing more to say
        }
        String base = type.replaceFirst("\\(\\d+\\)$", "");
        if (!VECTOR_TYPES.contains(base)) {
            return Optional.of(new ConfigProblem(key, column, "column '" + column + "' of table " + m.table()
                    + " is of type " + type + "; a source vector must be a pgvector vector or halfvec, real[],"
                    + " double precision[], json or jsonb"));
        }
        if (NEEDS_FULL_IDENTITY.contains(base) && !shape.fullIdentity()) {
            return Optional.of(new ConfigProblem(key, column, "column '" + column + "' is of type " + type
                    + ": Debezium sends an unchanged TOASTed value of it as NULL, so an update that leaves the vector"
                    + " alone would lose it; run ALTER TABLE " + m.table() + " REPLICA IDENTITY FULL"));
        }
        return Optional.empty();
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
        Map<String, String> types = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement(COLUMNS)) {
            s.setString(1, table.schema());
            s.setString(2, table.table());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    types.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return Optional.of(new TableShape(List.copyOf(types.keySet()), names(c, PRIMARY_KEY, table), types,
                names(c, REPLICA_IDENTITY, table).equals(List.of("f"))));
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
