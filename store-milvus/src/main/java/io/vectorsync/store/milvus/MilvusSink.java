package io.vectorsync.store.milvus;

import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.CreateCollectionReq.CollectionSchema;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.DescribeCollectionReq;
import io.milvus.v2.service.collection.request.GetLoadStateReq;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import io.milvus.v2.service.collection.request.LoadCollectionReq;
import io.milvus.v2.service.database.request.CreateDatabaseReq;
import io.milvus.v2.service.index.request.CreateIndexReq;
import io.milvus.v2.service.index.request.ListIndexesReq;
import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.ApplyResult.Rejected;
import io.vectorsync.sink.api.ApplyResult;
import io.vectorsync.sink.api.BatchPlan.Write;
import io.vectorsync.sink.api.BatchPlan;
import io.vectorsync.sink.api.Sink;
import io.vectorsync.sink.api.SinkUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Writes documents to Milvus: one collection per mapping (see {@link MilvusSchema}) and a tombstone collection beside
 * it. Idempotent through the LSN guard of {@link MilvusLsnGuard}, which behaves as the pgvector sink's.
 *
 * <p>Milvus has no transactions and no conditional writes, so the guard reads the stored LSNs and then writes. That
 * is safe only because <b>one sink worker owns a collection</b>: nothing else writes to it between the read and the
 * write. Two sinks writing the same collection at once could let an older change win. A batch is not atomic either: a
 * failure part-way throws {@link SinkUnavailableException} with some changes written, and the retried batch skips
 * those (their LSN is then stored).
 *
 * <p>Reads use STRONG consistency, so a batch's guard sees every earlier batch and a {@link MilvusReader} sees every
 * batch that {@code apply} returned from; nothing is flushed. One client, so one thread at a time.
 */
public final class MilvusSink implements Sink {
    private static final Logger LOG = LoggerFactory.getLogger(MilvusSink.class);
    private static final String DEFAULT_DATABASE = "default";
    /** How long prepare waits for a collection to load; each poll still has the configured call timeout. */
    private static final long LOAD_WAIT_MS = 120_000;
    private static final long LOAD_POLL_MS = 200;

    private final MilvusSinkConfig config;
    private final int dimension;
    private final MilvusConnection connection;
    private final MilvusWriter writer;
    private final Set<String> prepared = new HashSet<>();
    /** Collections whose tombstone collection has no commit times: made by an earlier version, never purged. */
    private final Set<String> undated = new HashSet<>();

    public MilvusSink(MilvusSinkConfig config, int dimension) {
        if (dimension < 1 || dimension > MilvusSchema.MAX_DIMENSION) {
            throw new IllegalArgumentException("the milvus sink needs a dimension between 1 and "
                    + MilvusSchema.MAX_DIMENSION + ", was " + dimension);
        }
        this.config = config;
        this.dimension = dimension;
        this.connection = new MilvusConnection(config, "milvus sink");
        this.writer = new MilvusWriter(config.database(), dimension);
    }

    @Override
    public SinkName name() {
        return SinkName.MILVUS;
    }

    /**
     * Creates the collection and its tombstone collection if missing, indexes their vectors and loads them (Milvus
     * searches and queries only loaded collections).
     * Idempotent, and safe when several sinks prepare the same collection at once: Milvus accepts a second create
     * with the same schema.
     *
     * @throws IllegalArgumentException when the collection name breaks Milvus's rules (a configuration error)
     * @throws IllegalStateException    when the collection exists with another vector dimension or other fields
     */
    @Override
    public void prepare(CollectionMapping collection) throws SinkUnavailableException {
        String name = MilvusSchema.requireCollection(collection.name());
        String what = "could not prepare collection '" + name + "'";
        call(what, client -> {
            ensureDatabase(client);
            ensureCollection(client, name, MilvusSchema.documents(dimension), MilvusSchema.DOCUMENT_FIELDS,
                    MilvusSchema.EMBEDDING, dimension, MilvusSchema.vectorIndex(config));
            CollectionSchema tombstones = ensureCollection(client, MilvusSchema.tombstones(name),
                    MilvusSchema.tombstones(), MilvusSchema.TOMBSTONE_FIELDS, MilvusSchema.DUMMY_VECTOR,
                    MilvusSchema.DUMMY_DIMENSION, MilvusSchema.dummyIndex());
            if (MilvusSchema.missingFields(tombstones, List.of(MilvusSchema.SOURCE_TS)).isEmpty()) {
                undated.remove(name);
            } else {
                undated.add(name);
                LOG.warn("milvus tombstone collection '{}' was made before tombstones were purged (it has no {}"
                                + " field): its tombstones still guard deletes but are never purged",
                        MilvusSchema.tombstones(name), MilvusSchema.SOURCE_TS);
            }
            load(client, List.of(name, MilvusSchema.tombstones(name)));
            return null;
        });
        prepared.add(name);
        LOG.info("milvus collection '{}' ready in database {} ({} dimensions, {}, cosine)", name, config.database(),
                dimension, config.indexDescription());
    }

    @Override
    public ApplyResult apply(List<EnrichedChange> batch) throws SinkUnavailableException {
        long start = System.nanoTime();
        BatchPlan plan = BatchPlan.of(name(), batch, prepared, dimension);
        List<Rejected> rejected = new ArrayList<>(plan.rejected());
        Map<String, List<Write>> byCollection = new LinkedHashMap<>();
        for (Write w : plan.writes()) {
            String reason = MilvusRows.rejection(w);
            if (reason != null) {
                rejected.add(new Rejected(w.change(), reason));
            } else {
                byCollection.computeIfAbsent(w.change().collection(), k -> new ArrayList<>()).add(w);
            }
        }
        int applied = 0;
        int skipped = plan.superseded();
        // Before the writes: the plan holds no write older than a truncate of its collection.
        for (EnrichedChange truncate : plan.truncates()) {
            boolean raised = call("could not truncate collection '" + truncate.collection() + "'",
                    client -> writer.truncate(client, truncate, !undated.contains(truncate.collection())));
            applied += raised ? 1 : 0;
            skipped += raised ? 0 : 1;
        }
        if (!byCollection.isEmpty()) {
            String what = "could not apply a batch to " + collections(byCollection.keySet());
            for (Map.Entry<String, List<Write>> e : byCollection.entrySet()) {
                MilvusWriter.Outcome outcome = call(what, client -> writer.write(client, e.getKey(), e.getValue(),
                        !undated.contains(e.getKey())));
                applied += outcome.applied();
                skipped += outcome.skipped();
            }
        }
        ApplyResult result = new ApplyResult(applied, skipped, rejected);
        if (!rejected.isEmpty()) {
            LOG.warn("milvus rejected {} of {} changes, first: {}", rejected.size(), batch.size(),
                    rejected.get(0).reason());
        }
        LOG.debug("milvus batch of {}: {} applied, {} skipped ({} superseded in the batch), {} rejected in {} ms",
                batch.size(), result.applied(), result.skipped(), plan.superseded(), rejected.size(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        return result;
    }

    /** Purges nothing from a tombstone collection made without commit times (see {@link #prepare}). */
    @Override
    public int purgeTombstones(String collection, Instant deletedBefore, int limit) throws SinkUnavailableException {
        if (undated.contains(collection)) {
            return 0;
        }
        return call("could not purge tombstones of collection '" + collection + "'",
                client -> writer.purgeTombstones(client, collection, deletedBefore.toEpochMilli(),
                        Math.min(limit, MilvusSchema.MAX_QUERY_LIMIT)));
    }

    @Override
    public void close() {
        connection.close();
    }

    @Override
    public String toString() {
        return "MilvusSink[" + config.safeUri() + ", database=" + config.database() + ", dimension=" + dimension + "]";
    }

    private void ensureDatabase(MilvusClientV2 client) {
        if (config.database().equals(DEFAULT_DATABASE)
                || client.listDatabases().getDatabaseNames().contains(config.database())) {
            return;
        }
        try {
            client.createDatabase(CreateDatabaseReq.builder().databaseName(config.database()).build());
            LOG.info("milvus database {} created", config.database());
        } catch (RuntimeException e) {
            // Another sink may have created it a moment ago.
            if (!client.listDatabases().getDatabaseNames().contains(config.database())) {
                throw e;
            }
        }
    }

    /** Returns the collection's schema as Milvus holds it. */
    private CollectionSchema ensureCollection(MilvusClientV2 client, String name, CollectionSchema schema,
                                              List<String> fields, String vectorField, int vectorDimension,
                                              IndexParam index) {
        if (!exists(client, name)) {
            try {
                client.createCollection(CreateCollectionReq.builder().databaseName(config.database())
                        .collectionName(name).collectionSchema(schema).build());
                LOG.debug("milvus collection '{}' created", name);
            } catch (RuntimeException e) {
                // A concurrent prepare created it with another request in between: fine when it is ours (checked below).
                if (!exists(client, name)) {
                    throw e;
                }
            }
        }
        CollectionSchema existing = client.describeCollection(DescribeCollectionReq.builder()
                .databaseName(config.database()).collectionName(name).build()).getCollectionSchema();
        Integer existingDimension = MilvusSchema.dimension(existing, vectorField);
        if (existingDimension != null && existingDimension != vectorDimension) {
            throw new IllegalStateException("milvus collection '" + name + "' holds " + existingDimension
                    + "-dimensional vectors but the milvus sink is configured for " + vectorDimension
                    + ": drop the collection or use a new collection name");
        }
        List<String> missing = MilvusSchema.missingFields(existing, fields);
        if (existingDimension == null || !missing.isEmpty()) {
            throw new IllegalStateException("milvus collection '" + name + "' exists but was not created by the"
                    + " milvus sink: it lacks " + (missing.isEmpty() ? List.of(vectorField) : missing)
                    + ": drop the collection or use a new collection name");
        }
        if (client.listIndexes(ListIndexesReq.builder().databaseName(config.database()).collectionName(name)
                .fieldName(vectorField).build()).isEmpty()) {
            try {
                // Milvus loads no collection whose vector field has no index: index first, then load.
                client.createIndex(CreateIndexReq.builder().databaseName(config.database()).collectionName(name)
                        .indexParams(List.of(index)).sync(false).build());
            } catch (RuntimeException e) {
                if (client.listIndexes(ListIndexesReq.builder().databaseName(config.database()).collectionName(name)
                        .fieldName(vectorField).build()).isEmpty()) {
                    throw e;
                }
            }
        }
        return existing;
    }

    /** Asks Milvus to load the collections, then waits for all of them: they load side by side. */
    private void load(MilvusClientV2 client, List<String> names) {
        for (String name : names) {
            client.loadCollection(LoadCollectionReq.builder().databaseName(config.database()).collectionName(name)
                    .sync(false).build());
        }
        for (String name : names) {
            awaitLoaded(client, name);
        }
    }

    /**
     * Polls until the collection is loaded. Not the SDK's own wait, which runs every poll under the first call's
     * deadline, so a load that takes longer than one call's timeout (2.5 s for a new collection) could never finish.
     */
    private void awaitLoaded(MilvusClientV2 client, String name) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(config.timeoutMs(), LOAD_WAIT_MS));
        GetLoadStateReq state = GetLoadStateReq.builder().databaseName(config.database()).collectionName(name)
                .build();
        while (!Boolean.TRUE.equals(client.getLoadState(state))) {
            if (System.nanoTime() > deadline) {
                throw new LoadTimeout("collection '" + name + "' not loaded after "
                        + Math.max(config.timeoutMs(), LOAD_WAIT_MS) / 1000 + " s");
            }
            try {
                Thread.sleep(LOAD_POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LoadTimeout("interrupted while waiting for collection '" + name + "' to load");
            }
        }
    }

    /** A load that did not finish in time: transient, like any other server trouble. */
    private static final class LoadTimeout extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LoadTimeout(String message) {
            super(message);
        }
    }

    private boolean exists(MilvusClientV2 client, String name) {
        return client.hasCollection(HasCollectionReq.builder().databaseName(config.database()).collectionName(name)
                .build());
    }

    /**
     * Runs calls against Milvus; any failure of the client or the server becomes a {@link SinkUnavailableException}
     * and drops the client, so the retry connects afresh. Our own checks' exceptions pass through.
     */
    private <T> T call(String what, Function<MilvusClientV2, T> calls) throws SinkUnavailableException {
        MilvusClientV2 client;
        try {
            client = connection.get();
        } catch (RuntimeException e) {
            connection.discard();
            throw new SinkUnavailableException(name() + " sink " + what + ": cannot connect to " + config.safeUri()
                    + ": " + MilvusErrors.describe(e), e);
        }
        try {
            return calls.apply(client);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            connection.discard();
            LOG.warn("milvus sink {}: {}", what, MilvusErrors.describe(e));
            throw new SinkUnavailableException(name() + " sink " + what + ": " + MilvusErrors.describe(e), e);
        }
    }

    private static String collections(Set<String> names) {
        Set<String> quoted = new TreeSet<>();
        names.forEach(n -> quoted.add("'" + n + "'"));
        return (quoted.size() == 1 ? "collection " : "collections ") + String.join(", ", quoted);
    }
}
