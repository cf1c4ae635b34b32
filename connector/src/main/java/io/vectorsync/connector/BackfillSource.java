package io.vectorsync.connector;

import io.vectorsync.core.json.Json;
import io.vectorsync.core.model.TableId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * What backfills need from the source database: Debezium's signal table, the execute-snapshot signal, and a row
 * count. One short connection per call: backfills are rare, and a connection held open would only go stale.
 */
final class BackfillSource {
    private static final Logger LOG = LoggerFactory.getLogger(BackfillSource.class);
    // Debezium's watermark ids are a UUID and "-open" or "-close": at most 42 characters.
    static final int SIGNAL_ID_LENGTH = 42;
    private static final String INSERT = "INSERT INTO %s (id, type, data) VALUES (?, 'execute-snapshot', ?)%s";

    private final ConnectorConfig source;

    BackfillSource(ConnectorConfig source) {
        this.source = source;
    }

    /**
     * Creates the signal table when it does not exist. It must exist before the engine starts: Debezium puts the
     * tables it captures into the publication at start-up, and the signal table is one of them.
     */
    void createSignalTable() throws SQLException {
        TableId table = source.signalTable();
        try (Connection c = connect(); PreparedStatement exists = c.prepareStatement("SELECT to_regclass(?)")) {
            exists.setString(1, table.quoted());
            try (ResultSet rs = exists.executeQuery()) {
                rs.next();
                // Looked up first, so a user without CREATE on the schema can use a table a DBA created.
                if (rs.getString(1) != null) {
                    return;
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS " + table.quoted()
                        + " (id varchar(" + SIGNAL_ID_LENGTH + ") PRIMARY KEY, type varchar(32) NOT NULL,"
                        + " data varchar(2048))");
            }
            LOG.info("created the signal table {} in {}", table, source.address());
        }
    }

    /**
     * Asks Debezium for an incremental snapshot of {@code table} by writing an execute-snapshot signal, replacing
     * a signal with the same id left by an earlier life of the pipeline (whose progress history is gone), which
     * would otherwise keep this one from being written. Debezium acts on the new row's insert.
     */
    void requestSnapshot(String signalId, TableId table) throws SQLException {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + source.signalTable().quoted()
                    + " WHERE id = ?"); PreparedStatement insert = c.prepareStatement(INSERT.formatted(
                    source.signalTable().quoted(), ""))) {
                delete.setString(1, signalId);
                if (delete.executeUpdate() > 0) {
                    LOG.warn("replaced an earlier signal '{}' in {}", signalId, source.signalTable());
                }
                insert.setString(1, signalId);
                insert.setString(2, snapshotSignalData(table));
                insert.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * As {@link #requestSnapshot}, but leaves a signal with this id alone: for a backfill already being followed,
     * whose signal may or may not have been written before a crash.
     *
     * @return false when the signal was there already
     */
    boolean requestSnapshotIfAbsent(String signalId, TableId table) throws SQLException {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(INSERT.formatted(
                source.signalTable().quoted(), " ON CONFLICT (id) DO NOTHING"))) {
            s.setString(1, signalId);
            s.setString(2, snapshotSignalData(table));
            return s.executeUpdate() == 1;
        }
    }

    /** {@code SELECT count(*)} of the table. */
    long countRows(TableId table) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table.quoted())) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * The signal's id: the backfill id itself when it fits the id column, so an operator can match the two;
     * otherwise a name-based UUID of it. Either way the same backfill always gets the same id, which is what makes
     * a request read again after a crash harmless.
     */
    static String signalId(String backfillId) {
        return backfillId.length() <= SIGNAL_ID_LENGTH ? backfillId
                : UUID.nameUUIDFromBytes(backfillId.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * Debezium reads each data-collection as a regular expression over {@code schema.table}; the escaped dot makes
     * it match this one table only (the parts are plain identifiers, with nothing else to escape).
     */
    static String snapshotSignalData(TableId table) {
        return Json.write(Map.of("type", "incremental",
                "data-collections", List.of(table.schema() + "\\." + table.table())));
    }

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", source.user());
        p.setProperty("password", source.password());
        p.setProperty("connectTimeout", "5");
        p.setProperty("ApplicationName", "vectorsync-backfill");
        return DriverManager.getConnection(source.jdbcUrl(), p);
    }
}
