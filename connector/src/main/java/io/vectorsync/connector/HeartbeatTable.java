package io.vectorsync.connector;

import io.vectorsync.core.model.TableId;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The heartbeat table ({@code source.heartbeat.table}) in the source database: one row that Debezium rewrites on
 * every heartbeat ({@code heartbeat.action.query}). Debezium only confirms a position to the replication slot once
 * a change it captures arrives; while the captured tables are idle and other databases of the cluster write WAL,
 * nothing arrives and the slot would hold all that WAL. The row's change is captured, so every heartbeat moves the
 * slot to the present. Its changes stay in the connector ({@link CdcPublisher}).
 */
public final class HeartbeatTable {
    /** The columns the action query writes. */
    public static final List<String> COLUMNS = List.of("id", "ts");

    private final TableId table;

    public HeartbeatTable(TableId table) {
        this.table = table;
    }

    public TableId table() {
        return table;
    }

    /**
     * Creates the table when it does not exist. It must exist before the engine starts: Debezium puts the tables it
     * captures into the publication at start-up, and the heartbeat table is one of them.
     *
     * @return whether it was created
     */
    public boolean create(Connection c) throws SQLException {
        return SourceTables.createIfMissing(c, table, "id int PRIMARY KEY, ts timestamptz");
    }

    /** Whether the table exists. */
    public boolean exists(Connection c) throws SQLException {
        return SourceTables.exists(c, table);
    }

    /**
     * The statement Debezium runs on every heartbeat: an upsert of the one row, so the table never grows and every
     * run writes a change, also on its first run and after someone emptied the table.
     */
    public String actionQuery() {
        return "INSERT INTO " + table.quoted() + " (id, ts) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET ts ="
                + " EXCLUDED.ts";
    }
}
