package io.vectorsync.connector;

import io.vectorsync.core.model.TableId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Debezium's signal table ({@code source.signal.table}) in the source database: created when missing, and the
 * execute-snapshot signals written into it, which Debezium reads back through the WAL. Works on a connection the
 * caller owns, so one-off callers (backfills) and batch callers (re-drives) can each keep their own.
 */
public final class SignalTable {
    private static final Logger LOG = LoggerFactory.getLogger(SignalTable.class);
    /** Debezium's watermark ids are a UUID and "-open" or "-close": at most 42 characters. */
    public static final int ID_LENGTH = 42;
    /** The data column's size in the table this class creates; a table a DBA created may differ. */
    static final int DATA_LENGTH = 2048;
    private static final String EXECUTE_SNAPSHOT = "execute-snapshot";

    private final TableId table;

    public SignalTable(TableId table) {
        this.table = table;
    }

    public TableId table() {
        return table;
    }

    /**
     * Creates the table when it does not exist. It must exist before the engine starts: Debezium puts the tables it
     * captures into the publication at start-up, and the signal table is one of them.
     *
     * @return whether it was created
     */
    public boolean create(Connection c) throws SQLException {
        return SourceTables.createIfMissing(c, table, "id varchar(" + ID_LENGTH
                + ") PRIMARY KEY, type varchar(32) NOT NULL, data varchar(" + DATA_LENGTH + ")");
    }

    /** Whether the table exists. */
    public boolean exists(Connection c) throws SQLException {
        return SourceTables.exists(c, table);
    }

    /**
     * How many characters the data column takes: a signal's data must fit, or the insert fails.
     *
     * @return {@link Integer#MAX_VALUE} for an unbounded column (text, varchar without a length)
     * @throws SQLException when the table or its data column does not exist
     */
    public int dataLimit(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT character_maximum_length FROM information_schema.columns"
                + " WHERE table_schema = ? AND table_name = ? AND column_name = 'data'")) {
            s.setString(1, table.schema());
            s.setString(2, table.table());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("the signal table " + table + " does not exist or has no data column");
                }
                int limit = rs.getInt(1);
                return rs.wasNull() ? Integer.MAX_VALUE : limit;
            }
        }
    }

    /** Writes an execute-snapshot signal; fails when a signal with this id exists. Debezium acts on the insert. */
    public void insert(Connection c, String id, String data) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(insertSql(""))) {
            bind(s, id, data);
            s.executeUpdate();
        }
    }

    /**
     * Writes an execute-snapshot signal, replacing a signal with the same id left by an earlier life of the
     * pipeline, which would otherwise keep this one from being written. One transaction on {@code c}, which must be
     * in auto-commit mode and is left so.
     */
    public void replace(Connection c, String id, String data) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + table.quoted() + " WHERE id = ?");
             PreparedStatement insert = c.prepareStatement(insertSql(""))) {
            delete.setString(1, id);
            if (delete.executeUpdate() > 0) {
                LOG.warn("replaced an earlier signal '{}' in {}", id, table);
            }
            bind(insert, id, data);
            insert.executeUpdate();
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /**
     * Writes an execute-snapshot signal unless one with this id exists.
     *
     * @return false when the signal was there already
     */
    public boolean insertIfAbsent(Connection c, String id, String data) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(insertSql(" ON CONFLICT (id) DO NOTHING"))) {
            bind(s, id, data);
            return s.executeUpdate() == 1;
        }
    }

    private String insertSql(String suffix) {
        return "INSERT INTO " + table.quoted() + " (id, type, data) VALUES (?, '" + EXECUTE_SNAPSHOT + "', ?)" + suffix;
    }

    private static void bind(PreparedStatement s, String id, String data) throws SQLException {
        if (id.length() > ID_LENGTH) {
            throw new IllegalArgumentException("signal id '" + id + "' is " + id.length()
                    + " characters long; the signal table takes at most " + ID_LENGTH);
        }
        s.setString(1, id);
        s.setString(2, data);
    }
}
