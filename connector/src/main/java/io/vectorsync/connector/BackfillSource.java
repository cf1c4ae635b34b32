package io.vectorsync.connector;

import io.vectorsync.core.model.TableId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

/**
 * What backfills need from the source database: Debezium's signal table, the execute-snapshot signal, and a row
 * count. One short connection per call: backfills are rare, and a connection held open would only go stale.
 */
final class BackfillSource {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(BackfillSource.class);
    static final int SIGNAL_ID_LENGTH = SignalTable.ID_LENGTH;

    private final ConnectorConfig source;
    private final SignalTable signals;

    BackfillSource(ConnectorConfig source) {
        this.source = source;
        this.signals = new SignalTable(source.signalTable());
    }

    /**
     * Creates the signal table when it does not exist. It must exist before the engine starts: Debezium puts the
     * tables it captures into the publication at start-up, and the signal table is one of them.
     */
    void createSignalTable() throws SQLException {
        try (Connection c = connect()) {
            if (signals.create(c)) {
                LOG.info("created the signal table {} in {}", source.signalTable(), source.address());
            }
        }
    }

    /**
     * Asks Debezium for an incremental snapshot of {@code table} by writing an execute-snapshot signal, replacing
     * a signal with the same id left by an earlier life of the pipeline (whose progress history is gone), which
     * would otherwise keep this one from being written. Debezium acts on the new row's insert.
     */
    void requestSnapshot(String signalId, TableId table) throws SQLException {
        try (Connection c = connect()) {
            signals.replace(c, signalId, snapshotSignalData(table));
        }
    }

    /**
     * As {@link #requestSnapshot}, but leaves a signal with this id alone: for a backfill already being followed,
     * whose signal may or may not have been written before a crash.
     *
     * @return false when the signal was there already
     */
    boolean requestSnapshotIfAbsent(String signalId, TableId table) throws SQLException {
        try (Connection c = connect()) {
            return signals.insertIfAbsent(c, signalId, snapshotSignalData(table));
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

    /** The signal's data: an incremental snapshot of every row of the table. */
    static String snapshotSignalData(TableId table) {
        return SnapshotSignal.incremental(table);
    }

    private Connection connect() throws SQLException {
        return source.sourceDatabase().connect("vectorsync-backfill", CONNECT_TIMEOUT, Duration.ZERO);
    }
}
