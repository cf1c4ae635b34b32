package io.vectorsync.store.pgvector;

import io.vectorsync.store.pgvector.PgvectorSchema.IndexBuild;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Builds a collection's indexes without blocking writes to its tables: each with {@code CREATE INDEX CONCURRENTLY}
 * (a SHARE UPDATE EXCLUSIVE lock, which inserts, updates and deletes do not wait for, where a plain
 * {@code CREATE INDEX} takes a SHARE lock that holds every writer for the whole build, and queues them behind it
 * even when the index already exists). Why its own class: a concurrent build cannot run in a transaction block, so
 * it needs the connection in autocommit, without the statement and socket timeouts that bound the sink's writes (a
 * build over millions of rows takes as long as it takes; cut short, it would leave an INVALID index each time).
 *
 * <p>A concurrent build that failed (cancelled, the server restarted, a crash) leaves its index INVALID: present, so
 * {@code IF NOT EXISTS} would skip it, yet never used by a query and still maintained by every write. Such an index
 * is dropped ({@code DROP INDEX CONCURRENTLY}) and built again.
 *
 * <p>Two sinks preparing together: only the one holding a session advisory lock builds; the other goes on without
 * waiting. Waiting would deadlock: a concurrent build waits for every transaction older than it, the waiting one
 * included. Another session's build in progress is then never mistaken for a failed one and dropped.
 */
final class PgvectorIndexes {
    private static final Logger LOG = LoggerFactory.getLogger(PgvectorIndexes.class);

    private final PgvectorSchema schema;

    PgvectorIndexes(PgvectorSchema schema) {
        this.schema = schema;
    }

    /**
     * Builds every missing or INVALID index of {@code collection}, one after the other, on {@code c}. On success the
     * connection is as it was (autocommit, timeouts); after an {@link SQLException} the caller must discard it,
     * which also releases the build lock.
     *
     * @return false when another session was building the indexes, so nothing was done here
     */
    boolean build(Connection c, String collection) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        int socketTimeoutMs = c.getNetworkTimeout();
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
            String statementTimeout = show(st, "statement_timeout");
            if (!locked(st)) {
                LOG.info("pgvector collection '{}': another session is building its indexes; not waiting for it",
                        collection);
                c.setAutoCommit(autoCommit);
                return false;
            }
            st.execute("SET statement_timeout = 0");
            c.setNetworkTimeout(Runnable::run, 0);
            for (IndexBuild index : schema.indexes(collection)) {
                build(c, st, collection, index);
            }
            c.setNetworkTimeout(Runnable::run, socketTimeoutMs);
            st.execute("SET statement_timeout = '" + statementTimeout.replace("'", "''") + "'");
            st.execute(schema.indexBuildUnlock());
        }
        c.setAutoCommit(autoCommit);
        return true;
    }

    private void build(Connection c, Statement st, String collection, IndexBuild index) throws SQLException {
        Boolean valid = validity(c, index);
        if (Boolean.FALSE.equals(valid)) {
            LOG.warn("pgvector collection '{}': index {} is INVALID (a concurrent build of it failed);"
                    + " dropping and building it again", collection, index.name());
            st.execute(schema.dropIndex(index.name()));
        }
        if (!Boolean.TRUE.equals(valid)) {
            long start = System.nanoTime();
            st.execute(index.sql());
            LOG.info("pgvector collection '{}': index {} built concurrently in {} ms", collection, index.name(),
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** true when the index exists and is valid, false when INVALID, null when it does not exist. */
    private Boolean validity(Connection c, IndexBuild index) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(schema.indexValidity())) {
            ps.setString(1, index.name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBoolean(1) : null;
            }
        }
    }

    private boolean locked(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery(schema.indexBuildTryLock())) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static String show(Statement st, String setting) throws SQLException {
        try (ResultSet rs = st.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
