package io.vectorsync.store.neo4j;

import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.config.Relation;
import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.ApplyResult.Rejected;
import io.vectorsync.sink.api.ApplyResult;
import io.vectorsync.sink.api.BatchPlan.Write;
import io.vectorsync.sink.api.BatchPlan;
import io.vectorsync.sink.api.Sink;
import io.vectorsync.sink.api.SinkUnavailableException;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.Transaction;
import org.neo4j.driver.exceptions.ClientException;
import org.neo4j.driver.exceptions.Neo4jException;
import org.neo4j.driver.exceptions.TransientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Writes documents to Neo4j: one node per document labelled with its collection, one write transaction per batch
 * (see {@link Neo4jStatements} for the data model). Idempotent through the LSN guard in the statements.
 */
public final class Neo4jSink implements Sink {
    /** How the sink's connections show in {@code SHOW TRANSACTIONS}. */
    public static final String USER_AGENT = "vectorsync-neo4j-sink";
    /** Rows per statement: one parameter list of 10,000 vectors would be a 40 MB Bolt message. */
    static final int ROWS_PER_STATEMENT = 1_000;
    private static final int SCHEMA_ATTEMPTS = 5;
    private static final String EQUIVALENT_RULE_EXISTS = "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists";
    private static final Logger LOG = LoggerFactory.getLogger(Neo4jSink.class);

    private final Neo4jSinkConfig config;
    private final int dimension;
    private final Neo4jConnection connection;
    /** Prepared collections and the relations their documents get. */
    private final Map<String, List<Relation>> prepared = new ConcurrentHashMap<>();

    public Neo4jSink(Neo4jSinkConfig config, int dimension) {
        if (dimension < 1 || dimension > Neo4jStatements.MAX_DIMENSION) {
            throw new IllegalArgumentException("the neo4j sink needs a dimension between 1 and "
                    + Neo4jStatements.MAX_DIMENSION + " (the most a vector index takes), was " + dimension);
        }
        this.config = config;
        this.dimension = dimension;
        this.connection = new Neo4jConnection(config, USER_AGENT);
    }

    @Override
    public SinkName name() {
        return SinkName.NEO4J;
    }

    /**
     * @throws IllegalArgumentException when the collection name or its relations do not fit (a configuration error)
     * @throws IllegalStateException    when the collection's vector index exists with another dimension
     */
    @Override
    public void prepare(CollectionMapping collection) throws SinkUnavailableException {
        String name = Neo4jStatements.requireCollection(collection.name());
        List<Relation> relations = Neo4jStatements.requireRelations(name, collection.relations());
        String what = "could not prepare collection '" + name + "'";
        Map<String, Long> existing = new LinkedHashMap<>();
        try {
            // Each on its own: Neo4j runs schema changes in their own transactions. IF NOT EXISTS makes a race
            // between two sinks harmless.
            for (String cypher : Neo4jStatements.create(name, relations, dimension)) {
                connection.call((session, answered) -> runSchema(session, cypher));
            }
            connection.call((session, answered) -> session.run(Neo4jStatements.dateUndatedTombstones(name)).consume());
            connection.call((session, answered) -> session.run(Neo4jStatements.awaitIndexes(),
                    Map.of("timeoutSeconds", Math.max(1, config.timeoutMs() / 1000))).consume());
            List<Record> indexes = connection.call((session, answered) -> session.run(
                    Neo4jStatements.vectorIndexDimensions(), Map.of("label", name)).list());
            for (Record r : indexes) {
                existing.put(r.get("name").asString(), r.get("dimensions").isNull() ? null
                        : r.get("dimensions").asLong());
            }
        } catch (Neo4jException e) {
            throw unavailable(what, e);
        } catch (InterruptedException e) {
            throw interrupted(what, e);
        }
        for (Map.Entry<String, Long> index : existing.entrySet()) {
            if (index.getValue() == null || index.getValue() != dimension) {
                throw new IllegalStateException("neo4j vector index `" + index.getKey() + "` on :`" + name
                        + "`(embedding) holds " + index.getValue() + "-dimensional vectors but the neo4j sink is"
                        + " configured for " + dimension + ": drop the index or use a new collection name");
            }
        }
        prepared.put(name, relations);
        LOG.info("neo4j collection '{}' ready as label :{} in database {} ({} dimensions, cosine vector index {},"
                        + " relations {})", name, name, config.database(), dimension,
                Neo4jStatements.indexName(name), relations);
    }

    /**
     * Runs one schema statement, again after a transient failure: two sinks creating constraints on the same labels
     * at once can deadlock on the schema locks, and Neo4j then aborts one of them.
     */
    private static Void runSchema(Session session, String cypher) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                session.run(cypher).consume();
                return null;
            } catch (ClientException e) {
                // IF NOT EXISTS racing another sink's create of the same rule: what was asked for exists.
                if (!EQUIVALENT_RULE_EXISTS.equals(e.code())) {
                    throw e;
                }
                LOG.debug("neo4j schema rule created meanwhile by another sink: {}", Neo4jErrors.describe(e));
                return null;
            } catch (TransientException e) {
                if (attempt == SCHEMA_ATTEMPTS) {
                    throw e;
                }
                LOG.debug("neo4j schema statement failed transiently (attempt {}): {}", attempt,
                        Neo4jErrors.describe(e));
                Thread.sleep(100L * attempt);
            }
        }
    }

    @Override
    public ApplyResult apply(List<EnrichedChange> batch) throws SinkUnavailableException {
        long start = System.nanoTime();
        BatchPlan plan = BatchPlan.of(name(), batch, prepared.keySet(), dimension);
        List<Rejected> rejected = new ArrayList<>(plan.rejected());
        List<Write> writes = plan.writes();
        List<Rejected> refused = new ArrayList<>();
        int truncated = plan.truncates().isEmpty() ? 0 : truncate(plan.truncates());
        int applied = writes.isEmpty() ? 0 : write(writes, refused);
        rejected.addAll(refused);
        ApplyResult result = new ApplyResult(applied + truncated, writes.size() - applied - refused.size()
                + plan.truncates().size() - truncated + plan.superseded(), rejected);
        if (!rejected.isEmpty()) {
            LOG.warn("neo4j rejected {} of {} changes, first: {}", rejected.size(), batch.size(),
                    rejected.get(0).reason());
        }
        LOG.debug("neo4j batch of {}: {} applied, {} skipped ({} superseded in the batch), {} rejected in {} ms",
                batch.size(), result.applied(), result.skipped(), plan.superseded(), rejected.size(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        return result;
    }

    /**
     * Applies truncates in one transaction, before the batch's writes (the plan holds no write older than a truncate
     * of its collection): each raises its collection's watermark, then removes the older documents and tombstones.
     * Returns how many raised the watermark.
     */
    private int truncate(List<EnrichedChange> truncates) throws SinkUnavailableException {
        Set<String> collections = new TreeSet<>();
        truncates.forEach(t -> collections.add(t.collection()));
        String what = "could not truncate " + describe(collections);
        try {
            return connection.call((session, answered) -> {
                int applied = 0;
                try (Transaction tx = session.beginTransaction(connection.transaction())) {
                    for (EnrichedChange t : truncates) {
                        Map<String, Object> lsn = Map.of("lsn", t.lsn());
                        applied += tx.run(Neo4jStatements.recordTruncate(t.collection()),
                                        Map.of("lsn", t.lsn(), "ts", Neo4jStatements.sourceTs(t))).single()
                                .get("applied").asInt();
                        tx.run(Neo4jStatements.truncateDocuments(t.collection()), lsn).consume();
                        tx.run(Neo4jStatements.truncateTombstones(t.collection()), lsn).consume();
                        answered.run();
                    }
                    tx.commit();
                }
                return applied;
            });
        } catch (InterruptedException e) {
            throw interrupted(what, e);
        } catch (Neo4jException e) {
            throw unavailable(what, e);
        }
    }

    /**
     * Every write in one transaction; returns how many took effect. When Neo4j refuses the batch for what one of its
     * changes holds (see {@link Neo4jErrors#isRefusedChange}), which would fail the whole batch forever, each change
     * is written again in a transaction of its own and the ones Neo4j refuses are added to {@code refused}.
     */
    private int write(List<Write> writes, List<Rejected> refused) throws SinkUnavailableException {
        Set<String> collections = new TreeSet<>();
        writes.forEach(w -> collections.add(w.change().collection()));
        String what = "could not apply a batch to " + describe(collections);
        try {
            return writeInOneTransaction(writes);
        } catch (InterruptedException e) {
            throw interrupted(what, e);
        } catch (Neo4jException e) {
            if (!Neo4jErrors.isRefusedChange(e)) {
                throw unavailable(what, e);
            }
            LOG.debug("neo4j batch refused for its data ({}); retrying change by change", Neo4jErrors.describe(e));
        }
        int applied = 0;
        for (Write w : writes) {
            try {
                applied += writeInOneTransaction(List.of(w));
            } catch (InterruptedException e) {
                throw interrupted(what, e);
            } catch (Neo4jException e) {
                if (!Neo4jErrors.isRefusedChange(e)) {
                    throw unavailable(what, e);
                }
                refused.add(new Rejected(w.change(), "Neo4j refused change " + w.change().documentKey() + ": "
                        + Neo4jErrors.describe(e)));
            }
        }
        return applied;
    }

    private int writeInOneTransaction(List<Write> writes) throws InterruptedException {
        Map<String, List<Write>> byCollection = new LinkedHashMap<>();
        for (Write w : writes) {
            byCollection.computeIfAbsent(w.change().collection(), k -> new ArrayList<>()).add(w);
        }
        return connection.call((session, answered) -> writeInOneTransaction(session, byCollection, answered));
    }

    private int writeInOneTransaction(Session session, Map<String, List<Write>> byCollection,
                                      Runnable answered) {
        int applied = 0;
        try (Transaction tx = session.beginTransaction(connection.transaction())) {
            for (Map.Entry<String, List<Write>> e : byCollection.entrySet()) {
                String collection = e.getKey();
                List<Relation> relations = prepared.get(collection);
                List<Map<String, Object>> deletes = new ArrayList<>();
                List<Map<String, Object>> upserts = new ArrayList<>();
                for (Write w : e.getValue()) {
                    if (w.change().isDelete()) {
                        deletes.add(Neo4jStatements.deleteRow(w.change()));
                    } else {
                        upserts.add(Neo4jStatements.upsertRow(w, relations));
                    }
                }
                applied += run(tx, Neo4jStatements.delete(collection), deletes, answered);
                applied += run(tx, Neo4jStatements.upsert(collection, relations), upserts, answered);
            }
            tx.commit();
        }
        return applied;
    }

    private static int run(Transaction tx, String cypher, List<Map<String, Object>> rows, Runnable answered) {
        int applied = 0;
        for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
            List<Map<String, Object>> chunk = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT));
            applied += tx.run(cypher, Map.of("rows", chunk)).single().get("applied").asInt();
            answered.run();
        }
        return applied;
    }

    @Override
    public int purgeTombstones(String collection, Instant deletedBefore, int limit) throws SinkUnavailableException {
        String what = "could not purge tombstones of collection '" + collection + "'";
        Map<String, Object> params = Map.of("cutoff", OffsetDateTime.ofInstant(deletedBefore, ZoneOffset.UTC),
                "limit", limit);
        try {
            return connection.call((session, answered) -> {
                try (Transaction tx = session.beginTransaction(connection.transaction())) {
                    int purged = tx.run(Neo4jStatements.purgeTombstones(collection), params).single()
                            .get("purged").asInt();
                    answered.run();
                    tx.commit();
                    return purged;
                }
            });
        } catch (InterruptedException e) {
            throw interrupted(what, e);
        } catch (Neo4jException e) {
            throw unavailable(what, e);
        }
    }

    @Override
    public void close() {
        connection.close();
    }

    @Override
    public String toString() {
        return "Neo4jSink[" + config.uri() + ", database=" + config.database() + ", dimension=" + dimension + "]";
    }

    /** Words the failure without any payload; the driver reconnects by itself on the next call. */
    private SinkUnavailableException unavailable(String what, Neo4jException e) {
        String reason = (Neo4jErrors.isConnectFailure(e) ? "cannot connect to " + config.uri() + ": " : "")
                + Neo4jErrors.describe(e);
        LOG.warn("neo4j sink {}: {}", what, reason);
        return new SinkUnavailableException(name() + " sink " + what + ": " + reason, e);
    }

    private SinkUnavailableException interrupted(String what, InterruptedException e) {
        Thread.currentThread().interrupt();
        return new SinkUnavailableException(name() + " sink " + what + ": interrupted", e);
    }

    private static String describe(Set<String> collections) {
        Set<String> names = new TreeSet<>();
        collections.forEach(c -> names.add("'" + c + "'"));
        return (names.size() == 1 ? "collection " : "collections ") + String.join(", ", names);
    }
}
