package io.vectorsync.app.pipeline;

import io.vectorsync.core.source.SourceDatabase;
import io.vectorsync.sink.runner.SourcePosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.OptionalLong;

/** The source's {@code pg_current_wal_lsn()}, on a short connection of its own, for the sinks' LSN check. */
final class SourceWalPosition implements SourcePosition {
    private static final Logger LOG = LoggerFactory.getLogger(SourceWalPosition.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final SourceDatabase source;

    SourceWalPosition(SourceDatabase source) {
        this.source = source;
    }

    @Override
    public OptionalLong currentLsn() {
        try (Connection c = source.connect("vectorsync-sink-lsn-check", TIMEOUT, TIMEOUT);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint")) {
            rs.next();
            return OptionalLong.of(rs.getLong(1));
        } catch (SQLException e) {
            LOG.debug("cannot read the source's WAL position: {}", e.getMessage());
            return OptionalLong.empty();
        }
    }
}
