package io.vectorsync.connector;

import io.vectorsync.core.model.TableId;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The tables vectorsync keeps in the source database for itself ({@link SignalTable}, {@link HeartbeatTable}): how
 * each is looked up and created when missing. Both must exist before the engine starts, because Debezium puts the
 * tables it captures into the publication at start-up.
 */
final class SourceTables {
    private SourceTables() {
    }

    /**
     * Creates the table with these column definitions when it does not exist.
     *
     * @param columns the inside of {@code CREATE TABLE t (…)}
     * @return whether it was created
     */
    static boolean createIfMissing(Connection c, TableId table, String columns) throws SQLException {
        // Looked up first, so a user without CREATE on the schema can use a table a DBA created.
        if (exists(c, table)) {
            return false;
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + table.quoted() + " (" + columns + ")");
        }
        return true;
    }

    static boolean exists(Connection c, TableId table) throws SQLException {
        try (PreparedStatement exists = c.prepareStatement("SELECT to_regclass(?)")) {
            exists.setString(1, table.quoted());
            try (ResultSet rs = exists.executeQuery()) {
                rs.next();
                return rs.getString(1) != null;
            }
        }
    }
}
