package io.vectorsync.app.preflight;

import io.vectorsync.app.preflight.SourceRules.HeartbeatTable;
import io.vectorsync.app.preflight.SourceRules.Publication;
import io.vectorsync.app.preflight.SourceRules.SignalTable;
import io.vectorsync.app.preflight.SourceRules.Slot;
import io.vectorsync.connector.ConnectorConfig;
import io.vectorsync.connector.SourceSchemaCheck;
import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.config.ConfigProblem;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.core.model.TableId;
import io.vectorsync.sink.preflight.CheckResult;
import io.vectorsync.sink.preflight.Postgres;
import io.vectorsync.sink.preflight.PreflightCheck;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The source PostgreSQL: reachable, logical decoding on, a free slot and WAL sender, a user that may replicate, the
 * pipeline's slot and publication, the mapped tables, the signal table and the heartbeat table. Reads the facts;
 * {@link SourceRules} judges them.
 */
final class SourceCheck implements PreflightCheck {
    private static final String SETTINGS = """
            SELECT current_setting('server_version'), current_setting('wal_level'),
                   current_setting('max_replication_slots')::int, current_setting('max_wal_senders')::int,
                   (SELECT count(*) FROM pg_catalog.pg_replication_slots)::int,
                   (SELECT count(*) FROM pg_catalog.pg_stat_replication)::int,
                   r.rolsuper, r.rolreplication
            FROM pg_catalog.pg_roles r WHERE r.rolname = current_user""";
    private static final String SLOT = """
            SELECT plugin, slot_type, database, active, active_pid FROM pg_catalog.pg_replication_slots
            WHERE slot_name = ?""";
    private static final String PUBLICATION = """
            SELECT puballtables, pubinsert AND pubupdate AND pubdelete AND pubtruncate FROM pg_catalog.pg_publication
            WHERE pubname = ?""";
    private static final String PUBLICATION_TABLES = """
            SELECT schemaname || '.' || tablename FROM pg_catalog.pg_publication_tables WHERE pubname = ?""";
    private static final String CAN_CREATE_IN_DATABASE = "SELECT has_database_privilege(current_database(), 'CREATE')";
    private static final String TABLE_PRIVILEGES = """
            SELECT has_table_privilege(c.oid, 'SELECT'), has_table_privilege(c.oid, 'INSERT'),
                   has_table_privilege(c.oid, 'DELETE'), has_table_privilege(c.oid, 'UPDATE')
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ? AND c.relname = ?""";
    private static final String COLUMNS = """
            SELECT a.attname FROM pg_catalog.pg_attribute a
            JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum""";
    // What ON CONFLICT (id) can use: a unique index on id alone, without a predicate.
    private static final String UNIQUE_ID = """
            SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_index i
                JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                WHERE i.indrelid = to_regclass(?) AND i.indisunique AND i.indnkeyatts = 1 AND i.indpred IS NULL
                  AND a.attname = 'id')""";
    private static final String CAN_CREATE_IN_SCHEMA = """
            SELECT has_schema_privilege(n.oid, 'CREATE') FROM pg_catalog.pg_namespace n WHERE n.nspname = ?""";

    /** What the table privileges query returns for one table. */
    private record Privileges(boolean select, boolean insert, boolean delete, boolean update) {
    }

    private final ConnectorConfig source;
    private final MappingConfig mappings;
    private final Duration timeout;

    SourceCheck(ConnectorConfig source, MappingConfig mappings, Duration timeout) {
        this.source = source;
        this.mappings = mappings;
        this.timeout = timeout;
    }

    @Override
    public String group() {
        return "source";
    }

    @Override
    public Duration timeout() {
        return timeout.multipliedBy(PreflightCheck.CALLS_PER_GROUP);
    }

    @Override
    public String target() {
        return "the source PostgreSQL at " + source.address();
    }

    @Override
    public List<CheckResult> run() throws SQLException {
        Connection connection;
        try {
            connection = source.sourceDatabase().connect("vectorsync-preflight", timeout, timeout);
        } catch (SQLException e) {
            return List.of(Postgres.unreachable("source.reachable", source.address(), e,
                    ConnectorConfig.HOST.name() + " / " + ConnectorConfig.PORT.name(),
                    ConnectorConfig.USER.name() + " / " + ConnectorConfig.PASSWORD.name(),
                    ConnectorConfig.DATABASE.name(), "source."));
        }
        List<CheckResult> rows = new ArrayList<>();
        try (Connection c = connection) {
            Optional<Slot> slot = slot(c);
            try (PreparedStatement s = c.prepareStatement(SETTINGS); ResultSet rs = s.executeQuery()) {
                rs.next();
                rows.add(CheckResult.ok("source.reachable", "PostgreSQL " + rs.getString(1) + " at "
                        + source.address() + " as " + source.user()));
                rows.add(SourceRules.walLevel(rs.getString(2)));
                rows.add(SourceRules.replicationSlots(rs.getInt(3), rs.getInt(5), slot.isPresent()));
                rows.add(SourceRules.walSenders(rs.getInt(4), rs.getInt(6), slot.map(Slot::active).orElse(false)));
                rows.add(SourceRules.replicationRole(source.user(), rs.getBoolean(7), rs.getBoolean(8)));
            }
            rows.add(SourceRules.slot(source.slotName(), source.database(), slot));
            rows.add(SourceRules.publication(source.publicationName(), publication(c), capturedTables(),
                    bool(c, CAN_CREATE_IN_DATABASE)));
            rows.addAll(tables(c));
            rows.add(signalTable(c));
            if (source.heartbeatsEnabled()) {
                rows.add(heartbeatTable(c));
            }
        }
        return rows;
    }

    /** The mapped tables, the signal table and the heartbeat table, which the connector adds to the publication. */
    private List<TableId> capturedTables() {
        Set<TableId> tables = new LinkedHashSet<>();
        mappings.collections().forEach(m -> tables.add(m.table()));
        tables.add(source.signalTable());
        if (source.heartbeatsEnabled()) {
            tables.add(source.heartbeatTable());
        }
        return List.copyOf(tables);
    }

    private List<CheckResult> tables(Connection c) throws SQLException {
        // The validator start-up uses, so preflight and start-up never disagree about a mapping.
        List<ConfigProblem> problems = new SourceSchemaCheck(source).problems(mappings);
        List<CheckResult> rows = new ArrayList<>();
        for (CollectionMapping m : mappings.collections()) {
            String prefix = MappingConfig.PREFIX + "." + m.name() + ".";
            List<ConfigProblem> own = new ArrayList<>(problems.stream().filter(p -> p.key().startsWith(prefix))
                    .toList());
            // Anything else the validator found, except wal_level which has its own row, kept it from the tables.
            problems.stream().filter(p -> !p.key().startsWith(MappingConfig.PREFIX + "."))
                    .filter(p -> !p.message().contains("wal_level")).forEach(own::add);
            rows.add(SourceRules.table(m, own, privileges(c, m.table()).map(Privileges::select), source.user()));
        }
        return rows;
    }

    private CheckResult signalTable(Connection c) throws SQLException {
        TableId table = source.signalTable();
        Optional<Privileges> privileges = privileges(c, table);
        Optional<SignalTable> shape = privileges.isEmpty() ? Optional.empty() : Optional.of(new SignalTable(
                strings(c, COLUMNS, table.schema(), table.table()), privileges.get().insert(),
                privileges.get().delete()));
        return SourceRules.signalTable(table, source.user(), shape, canCreateIn(c, table.schema()));
    }

    private CheckResult heartbeatTable(Connection c) throws SQLException {
        TableId table = source.heartbeatTable();
        Optional<Privileges> privileges = privileges(c, table);
        Optional<HeartbeatTable> shape = Optional.empty();
        if (privileges.isPresent()) {
            boolean uniqueId;
            try (PreparedStatement s = c.prepareStatement(UNIQUE_ID)) {
                s.setString(1, table.quoted());
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    uniqueId = rs.getBoolean(1);
                }
            }
            Privileges p = privileges.get();
            shape = Optional.of(new HeartbeatTable(strings(c, COLUMNS, table.schema(), table.table()), p.select(),
                    p.insert(), p.update(), uniqueId));
        }
        return SourceRules.heartbeatTable(table, source.user(), shape, canCreateIn(c, table.schema()));
    }

    /** Whether the source user may create tables in the schema; empty when the schema does not exist. */
    private static Optional<Boolean> canCreateIn(Connection c, String schema) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(CAN_CREATE_IN_SCHEMA)) {
            s.setString(1, schema);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBoolean(1)) : Optional.empty();
            }
        }
    }

    private Optional<Slot> slot(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SLOT)) {
            s.setString(1, source.slotName());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                int pid = rs.getInt(5);
                return Optional.of(new Slot(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                        rs.wasNull() ? null : pid));
            }
        }
    }

    private Optional<Publication> publication(Connection c) throws SQLException {
        boolean allTables;
        boolean everyChange;
        try (PreparedStatement s = c.prepareStatement(PUBLICATION)) {
            s.setString(1, source.publicationName());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                allTables = rs.getBoolean(1);
                everyChange = rs.getBoolean(2);
            }
        }
        return Optional.of(new Publication(allTables, everyChange,
                new HashSet<>(strings(c, PUBLICATION_TABLES, source.publicationName()))));
    }

    private static Optional<Privileges> privileges(Connection c, TableId table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(TABLE_PRIVILEGES)) {
            s.setString(1, table.schema());
            s.setString(2, table.table());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new Privileges(rs.getBoolean(1), rs.getBoolean(2), rs.getBoolean(3),
                        rs.getBoolean(4))) : Optional.empty();
            }
        }
    }

    private static boolean bool(Connection c, String sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static List<String> strings(Connection c, String sql, String... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setString(i + 1, params[i]);
            }
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
