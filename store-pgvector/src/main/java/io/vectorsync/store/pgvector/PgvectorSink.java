package io.vectorsync.store.pgvector;

import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.ApplyResult.Rejected;
import io.vectorsync.sink.api.ApplyResult;
import io.vectorsync.sink.api.BatchPlan;
import io.vectorsync.sink.api.Sink;
import io.vectorsync.sink.api.SinkUnavailableException;
import io.vectorsync.store.pgvector.PgvectorWriter.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes documents to PostgreSQL with pgvector: one table per collection, one transaction per batch. Idempotent
 * through the LSN guard in {@link PgvectorSchema}. One connection, so one thread at a time.
 */
public final class PgvectorSink implements Sink {
    /** pgvector's HNSW index accepts at most this many dimensions for {@code vector}. */
    public static final int MAX_INDEXED_DIMENSION = 2000;
    /** How the sink's connection shows in {@code pg_stat_activity}. */
    public static final String APPLICATION_NAME = "vectorsync-pgvector-sink";
    private static final Logger LOG = LoggerFactory.getLogger(PgvectorSink.class);
    private static final Pattern REGCONFIG = Pattern.compile("'([^']+)'::regconfig");

    private final PgvectorSinkConfig config;
    private final int dimension;
    private final PgvectorSchema schema;
    private final PgvectorIndexes indexes;
    private final PgvectorWriter writer;
    private final PgvectorConnection connection;
    private final Set<String> prepared = new HashSet<>();

    public PgvectorSink(PgvectorSinkConfig config, int dimension) {
        if (dimension < 1 || dimension > MAX_INDEXED_DIMENSION) {
            throw new IllegalArgumentException("the pgvector sink needs a dimension between 1 and "
                    + MAX_INDEXED_DIMENSION + " (the most an HNSW index takes), was " + dimension);
        }
        this.config = config;
        this.dimension = dimension;
        this.schema = PgvectorSchema.of(config);
        this.writer = new PgvectorWriter(schema);
        this.indexes = new PgvectorIndexes(schema);
        this.connection = new PgvectorConnection(config, APPLICATION_NAME, false);
    }

    @Override
    public SinkName name() {
        return SinkName.PGVECTOR;
    }

    /**
     * @throws IllegalArgumentException when the collection name does not fit (a configuration error)
     * @throws IllegalStateException    when the table exists with another vector dimension
     */
    @Override
    public void prepare(CollectionMapping collection) throws SinkUnavailableException {
        String name = PgvectorSchema.requireCollection(collection.name());
        Connection c = connect("could not prepare collection '" + name + "'");
        Integer existing;
        String keywordConfig;
        try (Statement st = c.createStatement()) {
            st.execute(schema.prepareLock());
            requireTextSearchConfig(c);
            keywordConfig = keywordConfigInUse(st, name);
            if (keywordConfig == null || keywordConfig.equals(schema.textSearchConfig())) {
                for (String sql : schema.create(name, dimension)) {
                    st.execute(sql);
                }
            }
            existing = declaredDimension(st, name);
            c.commit();
        } catch (SQLException e) {
            throw unavailable("could not prepare collection '" + name + "'", c, e);
        }
        if (keywordConfig != null && !keywordConfig.equals(schema.textSearchConfig())) {
            connection.discard();
            throw new IllegalStateException("pgvector table " + schema.table(name) + " has its "
                    + PgvectorSchema.TSV_COLUMN + " column in text search configuration '" + keywordConfig + "' but "
                    + PgvectorSinkConfig.TEXT_SEARCH_CONFIG.name() + " is '" + schema.textSearchConfig()
                    + "': run ALTER TABLE " + schema.table(name) + " DROP COLUMN " + PgvectorSchema.TSV_COLUMN
                    + " to have it generated again (the table is rewritten once), or set the key back");
        }
        if (existing != null && existing != dimension) {
            connection.discard();
            throw new IllegalStateException("pgvector table " + schema.table(name) + " holds " + existing
                    + "-dimensional vectors but the pgvector sink is configured for " + dimension
                    + ": drop the table or use a new collection name");
        }
        try {
            indexes.build(c, name);
        } catch (SQLException e) {
            throw unavailable("could not build the indexes of collection '" + name + "'", c, e);
        }
        // The driver resolved the vector type when the connection opened, possibly before CREATE EXTENSION above
        // made it exist; a fresh connection resolves it again, so the first batch does not fail on "unknown type".
        connection.discard();
        prepared.add(name);
        LOG.info("pgvector collection '{}' ready in schema {} ({} dimensions, hnsw m={}, ef_construction={})", name,
                schema.schema(), dimension, config.hnswM(), config.hnswEfConstruction());
    }

    @Override
    public ApplyResult apply(List<EnrichedChange> batch) throws SinkUnavailableException {
        long start = System.nanoTime();
        BatchPlan plan = BatchPlan.of(name(), batch, prepared, dimension);
        Outcome outcome = plan.writes().isEmpty() && plan.truncates().isEmpty() ? new Outcome(0, 0, List.of())
                : write(plan);
        List<Rejected> rejected = new ArrayList<>(plan.rejected());
        rejected.addAll(outcome.rejected());
        ApplyResult result = new ApplyResult(outcome.applied(), outcome.skipped() + plan.superseded(), rejected);
        if (!rejected.isEmpty()) {
            LOG.warn("pgvector rejected {} of {} changes, first: {}", rejected.size(), batch.size(),
                    rejected.get(0).reason());
        }
        LOG.debug("pgvector batch of {}: {} applied, {} skipped ({} superseded in the batch), {} rejected in {} ms",
                batch.size(), result.applied(), result.skipped(), plan.superseded(), rejected.size(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        return result;
    }

    private Outcome write(BatchPlan plan) throws SinkUnavailableException {
        String what = "could not apply a batch to " + collections(plan);
        Connection c = connect(what);
        try {
            int truncated = writer.truncate(c, plan.truncates());
            Outcome outcome = withTruncates(plan, truncated, batched(c, plan));
            c.commit();
            return outcome;
        } catch (SQLException e) {
            rollbackQuietly(c);
            if (!SqlErrors.isDataError(e) || isClosed(c)) {
                throw unavailable(what, c, e);
            }
            // A change PostgreSQL refuses would make the whole batch fail forever: find it and reject only it.
            LOG.debug("pgvector batch failed on its data ({}); retrying change by change", SqlErrors.describe(e));
        }
        try {
            int truncated = writer.truncate(c, plan.truncates());
            Outcome outcome = withTruncates(plan, truncated, writer.writeIsolated(c, plan.writes()));
            c.commit();
            return outcome;
        } catch (SQLException e) {
            throw unavailable(what, c, e);
        }
    }

    /** The writes' outcome with the batch's truncates counted in (applied when they raised the watermark). */
    private static Outcome withTruncates(BatchPlan plan, int truncated, Outcome writes) {
        return new Outcome(writes.applied() + truncated,
                writes.skipped() + plan.truncates().size() - truncated, writes.rejected());
    }

    /**
     * The driver (42.7) throws an {@link AssertionError} from {@code executeBatch} when the server goes away in the
     * middle of a batch ({@code getAutoCommit() should not throw}): a broken connection, so "unavailable" like any
     * other, not an error that stops the worker.
     */
    private Outcome batched(Connection c, BatchPlan plan) throws SQLException {
        try {
            return writer.writeBatched(c, plan.writes());
        } catch (AssertionError e) {
            throw new SQLException("the connection broke during the batch (" + e.getMessage() + ")", "08006", e);
        }
    }

    @Override
    public int purgeTombstones(String collection, Instant deletedBefore, int limit) throws SinkUnavailableException {
        String what = "could not purge tombstones of collection '" + collection + "'";
        Connection c = connect(what);
        OffsetDateTime cutoff = OffsetDateTime.ofInstant(deletedBefore, ZoneOffset.UTC);
        try (PreparedStatement ps = c.prepareStatement(schema.purgeTombstones(collection))) {
            ps.setObject(1, cutoff);
            ps.setInt(2, limit);
            ps.setObject(3, cutoff);
            int removed = ps.executeUpdate();
            c.commit();
            return removed;
        } catch (SQLException e) {
            throw unavailable(what, c, e);
        }
    }

    @Override
    public void close() {
        connection.close();
    }

    @Override
    public String toString() {
        return "PgvectorSink[" + config.safeUrl() + ", schema=" + schema.schema() + ", dimension=" + dimension + "]";
    }

    private Connection connect(String what) throws SinkUnavailableException {
        try {
            return connection.get();
        } catch (SQLException e) {
            connection.discard();
            throw new SinkUnavailableException(name() + " sink " + what + ": cannot connect to "
                    + config.safeUrl() + ": " + SqlErrors.describe(e), e);
        }
    }

    /** Closes the connection so the retry starts afresh, and words the failure without any payload. */
    private SinkUnavailableException unavailable(String what, Connection c, SQLException e) {
        rollbackQuietly(c);
        connection.discard();
        LOG.warn("pgvector sink {}: {}", what, SqlErrors.describe(e));
        return new SinkUnavailableException(name() + " sink " + what + ": " + SqlErrors.describe(e), e);
    }

    /** A text search configuration the database does not know is a configuration error, not an outage. */
    private void requireTextSearchConfig(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(PgvectorSchema.textSearchConfigExists())) {
            ps.setString(1, schema.textSearchConfig());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    rollbackQuietly(c);
                    throw new IllegalArgumentException("'" + PgvectorSinkConfig.TEXT_SEARCH_CONFIG.name() + "' was '"
                            + schema.textSearchConfig() + "' but the pgvector database at " + config.safeUrl()
                            + " has no such text search configuration (see pg_ts_config; english and simple are"
                            + " built in)");
                }
            }
        }
    }

    /** The configuration the table's tsvector column was generated with; null without table or column. */
    private String keywordConfigInUse(Statement st, String collection) throws SQLException {
        try (ResultSet rs = st.executeQuery(schema.keywordConfigInUse(collection))) {
            if (!rs.next()) {
                return null;
            }
            Matcher m = REGCONFIG.matcher(rs.getString(1));
            return m.find() ? m.group(1) : rs.getString(1);
        }
    }

    private Integer declaredDimension(Statement st, String collection) throws SQLException {
        try (ResultSet rs = st.executeQuery(schema.embeddingDimension(collection))) {
            return rs.next() ? rs.getInt(1) : null;
        }
    }

    private static String collections(BatchPlan plan) {
        Set<String> names = new TreeSet<>();
        plan.writes().forEach(w -> names.add("'" + w.change().collection() + "'"));
        plan.truncates().forEach(t -> names.add("'" + t.collection() + "'"));
        return (names.size() == 1 ? "collection " : "collections ") + String.join(", ", names);
    }

    private static boolean isClosed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            if (!c.isClosed()) {
                c.rollback();
            }
        } catch (SQLException e) {
            LOG.debug("pgvector rollback failed: {}", SqlErrors.describe(e));
        }
    }
}
