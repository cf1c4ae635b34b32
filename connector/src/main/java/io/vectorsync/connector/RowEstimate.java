package io.vectorsync.connector;

import io.vectorsync.core.model.TableId;
import io.vectorsync.core.source.SourceDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * How many rows a table holds, for the expected size of its initial snapshot: PostgreSQL's own estimate
 * ({@code pg_class.reltuples}, kept by VACUUM, ANALYZE and autovacuum) for a large table, an exact
 * {@code count(*)} for a small one. Why both: counting a large table is a full scan costing as much as the snapshot's
 * own read of it, while the estimate, good to a few percent, is all an ETA needs; for a small table the count takes
 * milliseconds and makes the figure exact. A table never analyzed has no estimate (-1) and is counted, bounded by
 * {@link #COUNT_TIMEOUT}; past it the figure is unknown.
 */
public final class RowEstimate {
    /** Below this estimate a table is counted exactly. */
    public static final long COUNT_BELOW = 100_000;
    static final Duration COUNT_TIMEOUT = Duration.ofSeconds(10);

    private final SourceDatabase source;

    public RowEstimate(SourceDatabase source) {
        this.source = source;
    }

    /** The expected rows of {@code table}, or -1 when neither the estimate nor a count could be had. */
    public long rows(TableId table) throws SQLException {
        try (Connection c = source.connect("vectorsync-snapshot-progress", Duration.ofSeconds(5),
                COUNT_TIMEOUT.plusSeconds(5))) {
            try (Statement st = c.createStatement()) {
                // The server cancels a count past the timeout; the socket's, longer, only catches a hung server.
                st.execute("SET statement_timeout = " + COUNT_TIMEOUT.toMillis());
            }
            long estimate = estimate(c, table);
            if (estimate >= COUNT_BELOW) {
                return estimate;
            }
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table.quoted())) {
                rs.next();
                return rs.getLong(1);
            } catch (SQLException e) {
                // Cancelled by the statement timeout, say: the estimate, when there is one, is better than nothing.
                if (estimate >= 0) {
                    return estimate;
                }
                throw e;
            }
        }
    }

    private static long estimate(Connection c, TableId table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT reltuples::bigint FROM pg_catalog.pg_class WHERE oid = to_regclass(?)")) {
            ps.setString(1, table.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }
}
