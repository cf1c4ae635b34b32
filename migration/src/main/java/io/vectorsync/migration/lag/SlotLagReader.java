package io.vectorsync.migration.lag;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * How many WAL bytes the source's replication slot is behind the server's current WAL position: what the source
 * keeps for the connector and the connector has not confirmed yet. One connection, opened again after a failure.
 * Used by one thread at a time.
 */
final class SlotLagReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SlotLagReader.class);
    static final String QUERY = "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)"
            + " FROM pg_replication_slots WHERE slot_name = ?";

    private final SlotSource source;
    private final Duration timeout;
    private Connection connection;

    SlotLagReader(SlotSource source, Duration timeout) {
        this.source = source;
        this.timeout = timeout;
    }

    long bytes() throws LagReadException {
        boolean reused = connection != null;
        try {
            return query();
        } catch (SQLException e) {
            close();
            if (!reused) {
                throw failed(e);
            }
        }
        // A kept connection may have died with a server restart since the last sample: one more try on a new one.
        try {
            return query();
        } catch (SQLException e) {
            close();
            throw failed(e);
        }
    }

    private long query() throws SQLException, LagReadException {
        if (connection == null) {
            connection = open();
        }
        try (PreparedStatement s = connection.prepareStatement(QUERY)) {
            s.setQueryTimeout(seconds());
            s.setString(1, source.slotName());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new LagReadException("replication slot '" + source.slotName() + "' does not exist on "
                            + source.address());
                }
                long behind = rs.getLong(1);
                if (rs.wasNull()) {
                    throw new LagReadException("replication slot '" + source.slotName() + "' on " + source.address()
                            + " has no confirmed position: it is not a logical slot, or no consumer confirmed yet");
                }
                return Math.max(0, behind);
            }
        }
    }

    private Connection open() throws SQLException {
        return source.database().connect("vectorsync-lag", timeout, timeout.plusSeconds(1));
    }

    /** The timeout in whole seconds, as the driver takes it; at least one. */
    private int seconds() {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (timeout.toMillis() + 999) / 1000));
    }

    private LagReadException failed(SQLException e) {
        // The driver's messages name the server and the problem, never the password.
        return new LagReadException("cannot read replication slot '" + source.slotName() + "' on "
                + source.address() + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("closing the connection to {} failed: {}", source.address(), e.getMessage());
        }
        connection = null;
    }
}
