package io.vectorsync.store.pgvector;

import com.pgvector.PGvector;
import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.sink.api.ApplyResult.Rejected;
import io.vectorsync.sink.api.BatchPlan.Write;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes planned changes inside the caller's transaction; the caller commits or rolls back. Counts a change as
 * skipped when the LSN guard in the SQL left the store untouched.
 */
final class PgvectorWriter {
    private final PgvectorSchema schema;

    record Outcome(int applied, int skipped, List<Rejected> rejected) {
    }

    PgvectorWriter(PgvectorSchema schema) {
        this.schema = schema;
    }

    /**
     * Applies truncates: each raises its collection's watermark, then removes the documents and tombstones older than
     * it. Run before the batch's writes, in the same transaction. A truncate counts as applied when it raised the
     * watermark.
     */
    int truncate(Connection c, List<EnrichedChange> truncates) throws SQLException {
        int applied = 0;
        for (EnrichedChange t : truncates) {
            String collection = t.collection();
            try (PreparedStatement mark = c.prepareStatement(schema.recordTruncate(collection));
                 PreparedStatement rows = c.prepareStatement(schema.truncateRows(collection));
                 PreparedStatement tombstones = c.prepareStatement(schema.truncateTombstones(collection))) {
                mark.setLong(1, t.lsn());
                mark.setObject(2, sourceTs(t));
                applied += touched(mark.executeUpdate()) ? 1 : 0;
                rows.setLong(1, t.lsn());
                rows.executeUpdate();
                tombstones.setLong(1, t.lsn());
                tombstones.executeUpdate();
            }
        }
        return applied;
    }

    /** Every change through JDBC batches: the fast path. Any failure fails the whole call. */
    Outcome writeBatched(Connection c, List<Write> writes) throws SQLException {
        int applied = 0;
        for (Map.Entry<String, List<Write>> e : byCollection(writes).entrySet()) {
            try (Statements st = new Statements(c, e.getKey())) {
                List<Write> deletes = new ArrayList<>();
                List<Write> upserts = new ArrayList<>();
                for (Write w : e.getValue()) {
                    if (w.change().isDelete()) {
                        deletes.add(w);
                        bindDelete(st.deleteRow(), w.change());
                        st.deleteRow().addBatch();
                        bindTombstone(st.tombstone(), w.change());
                        st.tombstone().addBatch();
                    } else {
                        upserts.add(w);
                        bindUpsert(st.upsert(), w);
                        st.upsert().addBatch();
                    }
                }
                if (!deletes.isEmpty()) {
                    // Row deletes first: the tombstone statement looks at what is left of the row.
                    int[] rows = st.deleteRow().executeBatch();
                    int[] tombstones = st.tombstone().executeBatch();
                    for (int i = 0; i < deletes.size(); i++) {
                        applied += touched(rows[i]) || touched(tombstones[i]) ? 1 : 0;
                    }
                }
                if (!upserts.isEmpty()) {
                    for (int count : st.upsert().executeBatch()) {
                        applied += touched(count) ? 1 : 0;
                    }
                }
            }
        }
        return new Outcome(applied, writes.size() - applied, List.of());
    }

    /**
     * One change at a time, each behind a savepoint, so that a change PostgreSQL rejects for its data is set aside
     * and the others still commit. Any other failure fails the whole call.
     */
    Outcome writeIsolated(Connection c, List<Write> writes) throws SQLException {
        int applied = 0;
        int skipped = 0;
        List<Rejected> rejected = new ArrayList<>();
        for (Map.Entry<String, List<Write>> e : byCollection(writes).entrySet()) {
            try (Statements st = new Statements(c, e.getKey())) {
                for (Write w : e.getValue()) {
                    Savepoint savepoint = c.setSavepoint();
                    try {
                        boolean touched = writeOne(st, w);
                        c.releaseSavepoint(savepoint);
                        applied += touched ? 1 : 0;
                        skipped += touched ? 0 : 1;
                    } catch (SQLException failure) {
                        if (!SqlErrors.isDataError(failure)) {
                            throw failure;
                        }
                        c.rollback(savepoint);
                        rejected.add(new Rejected(w.change(), "PostgreSQL rejected change "
                                + w.change().documentKey() + ": " + SqlErrors.describe(failure)));
                    }
                }
            }
        }
        return new Outcome(applied, skipped, rejected);
    }

    private boolean writeOne(Statements st, Write w) throws SQLException {
        if (w.change().isDelete()) {
            bindDelete(st.deleteRow(), w.change());
            boolean deleted = touched(st.deleteRow().executeUpdate());
            bindTombstone(st.tombstone(), w.change());
            return touched(st.tombstone().executeUpdate()) || deleted;
        }
        bindUpsert(st.upsert(), w);
        return touched(st.upsert().executeUpdate());
    }

    private static void bindUpsert(PreparedStatement ps, Write w) throws SQLException {
        EnrichedChange change = w.change();
        ps.setString(1, change.id());
        ps.setString(2, change.content());
        ps.setString(3, w.metadataJson());
        if (change.embedding() == null) {
            ps.setNull(4, Types.OTHER);
        } else {
            ps.setObject(4, new PGvector(change.embedding()));
        }
        ps.setString(5, change.model());
        ps.setString(6, change.contentHash());
        ps.setLong(7, change.lsn());
        ps.setObject(8, sourceTs(change));
    }

    private static void bindTombstone(PreparedStatement ps, EnrichedChange change) throws SQLException {
        bindDelete(ps, change);
        ps.setObject(3, sourceTs(change));
    }

    private static OffsetDateTime sourceTs(EnrichedChange change) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(change.sourceTsMs()), ZoneOffset.UTC);
    }

    private static void bindDelete(PreparedStatement ps, EnrichedChange change) throws SQLException {
        ps.setString(1, change.id());
        ps.setLong(2, change.lsn());
    }

    private static boolean touched(int updateCount) {
        return updateCount > 0 || updateCount == Statement.SUCCESS_NO_INFO;
    }

    private static Map<String, List<Write>> byCollection(List<Write> writes) {
        Map<String, List<Write>> out = new LinkedHashMap<>();
        for (Write w : writes) {
            out.computeIfAbsent(w.change().collection(), k -> new ArrayList<>()).add(w);
        }
        return out;
    }

    /** The three statements of one collection, prepared on first use. */
    private final class Statements implements AutoCloseable {
        private final Connection connection;
        private final String collection;
        private PreparedStatement upsert;
        private PreparedStatement deleteRow;
        private PreparedStatement tombstone;

        Statements(Connection connection, String collection) {
            this.connection = connection;
            this.collection = collection;
        }

        PreparedStatement upsert() throws SQLException {
            if (upsert == null) {
                upsert = connection.prepareStatement(schema.upsert(collection));
            }
            return upsert;
        }

        PreparedStatement deleteRow() throws SQLException {
            if (deleteRow == null) {
                deleteRow = connection.prepareStatement(schema.deleteRow(collection));
            }
            return deleteRow;
        }

        PreparedStatement tombstone() throws SQLException {
            if (tombstone == null) {
                tombstone = connection.prepareStatement(schema.recordTombstone(collection));
            }
            return tombstone;
        }

        @Override
        public void close() throws SQLException {
            SQLException first = null;
            for (PreparedStatement ps : new PreparedStatement[] {upsert, deleteRow, tombstone}) {
                try {
                    if (ps != null) {
                        ps.close();
                    }
                } catch (SQLException e) {
                    first = first == null ? e : first;
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }
}
