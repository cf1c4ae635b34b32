package io.vectorsync.store.milvus;

import com.google.gson.JsonObject;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.service.vector.request.DeleteReq;
import io.milvus.v2.service.vector.request.QueryReq;
import io.milvus.v2.service.vector.request.UpsertReq;
import io.milvus.v2.service.vector.response.QueryResp.QueryResult;
import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.sink.api.BatchPlan;
import io.vectorsync.sink.api.BatchPlan.Write;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Applies one collection's planned changes: reads the stored LSNs (STRONG consistency, so every earlier write is
 * seen), lets {@link MilvusLsnGuard} decide, then writes. The order of writes keeps the guard sound if a batch stops
 * half-way: a delete records its tombstone before it removes the row, an upsert writes the row before it removes the
 * tombstone; a retried batch then finds every half-applied change either done or still to do.
 */
final class MilvusWriter {
    record Outcome(int applied, int skipped) {
    }

    private final String database;
    private final int dimension;

    MilvusWriter(String database, int dimension) {
        this.database = database;
        this.dimension = dimension;
    }

    /**
     * @param dated whether the tombstone collection has {@code source_ts} (it lacks it when made by an earlier version)
     * @throws RuntimeException from the SDK; some of the changes may have been written
     */
    Outcome write(MilvusClientV2 client, String collection, List<Write> writes, boolean dated) {
        String tombstones = MilvusSchema.tombstones(collection);
        List<String> ids = writes.stream().map(w -> w.change().id()).toList();
        Map<String, Long> rowLsns = lsns(client, collection, ids);
        List<String> tombstoneIds = new ArrayList<>(ids);
        tombstoneIds.add(BatchPlan.TRUNCATE_WATERMARK_ID);
        Map<String, Long> tombstoneLsns = lsns(client, tombstones, tombstoneIds);
        Long truncated = tombstoneLsns.remove(BatchPlan.TRUNCATE_WATERMARK_ID);
        MilvusLsnGuard guard = MilvusLsnGuard.decide(writes, rowLsns, tombstoneLsns,
                truncated == null ? -1 : truncated);

        List<Write> upserts = new ArrayList<>(guard.upserts());
        int skipped = guard.skipped();
        if (!guard.equalLsn().isEmpty()) {
            Map<String, Map<String, Object>> stored = query(client, collection,
                    guard.equalLsn().stream().map(w -> w.change().id()).toList(), MilvusRows.DOCUMENT_FIELDS);
            for (Write w : guard.equalLsn()) {
                Map<String, Object> entity = stored.get(w.change().id());
                if (entity != null && MilvusRows.sameAsStored(w, entity)) {
                    skipped++;
                } else {
                    upserts.add(w);
                }
            }
        }

        upsert(client, tombstones, guard.tombstones(), w -> MilvusRows.tombstone(w.change().id(), w.change().lsn(),
                dated ? w.change().sourceTsMs() : null), w -> 128L);
        delete(client, collection, guard.rowDeletes());
        upsert(client, collection, upserts, w -> MilvusRows.document(w, dimension),
                w -> MilvusRows.requestBytes(w, dimension));
        delete(client, tombstones, MilvusLsnGuard.obsoleteTombstones(upserts, tombstoneLsns));
        return new Outcome(upserts.size() + guard.deletes().size(), skipped);
    }

    /**
     * Applies a truncate of the collection: raises its watermark (a tombstone under
     * {@link BatchPlan#TRUNCATE_WATERMARK_ID}) first, so that a failure part-way leaves the guard in place, then
     * removes the documents and tombstones older than it. The removals run even when the watermark was already
     * there, so a retry finishes what a failed attempt began.
     *
     * @return whether the watermark rose
     * @throws RuntimeException from the SDK; part of the truncate may have been done
     */
    boolean truncate(MilvusClientV2 client, EnrichedChange truncate, boolean dated) {
        String collection = truncate.collection();
        String tombstones = MilvusSchema.tombstones(collection);
        Long watermark = lsns(client, tombstones, List.of(BatchPlan.TRUNCATE_WATERMARK_ID))
                .get(BatchPlan.TRUNCATE_WATERMARK_ID);
        boolean raises = watermark == null || watermark < truncate.lsn();
        if (raises) {
            client.upsert(UpsertReq.builder().databaseName(database).collectionName(tombstones)
                    .data(List.of(MilvusRows.tombstone(BatchPlan.TRUNCATE_WATERMARK_ID, truncate.lsn(),
                            dated ? truncate.sourceTsMs() : null))).build());
        }
        long lsn = Math.max(truncate.lsn(), watermark == null ? -1 : watermark);
        client.delete(DeleteReq.builder().databaseName(database).collectionName(collection)
                .filter(MilvusSchema.olderThan(lsn)).build());
        client.delete(DeleteReq.builder().databaseName(database).collectionName(tombstones)
                .filter(MilvusSchema.tombstonesOlderThan(lsn)).build());
        return raises;
    }

    /**
     * Removes at most {@code limit} tombstones of deletes committed before {@code cutoffMs}, never the truncate
     * watermark; returns how many. The age is checked again by the delete, so a tombstone renewed in between stays.
     */
    int purgeTombstones(MilvusClientV2 client, String collection, long cutoffMs, int limit) {
        String tombstones = MilvusSchema.tombstones(collection);
        String old = MilvusSchema.tombstonesDeletedBefore(cutoffMs);
        List<String> ids = client.query(QueryReq.builder().databaseName(database).collectionName(tombstones)
                        .filter(old).outputFields(List.of(MilvusSchema.ID)).limit(limit)
                        .consistencyLevel(ConsistencyLevel.STRONG).build()).getQueryResults().stream()
                .map(r -> (String) r.getEntity().get(MilvusSchema.ID)).toList();
        for (List<String> chunk : MilvusSchema.idChunks(ids)) {
            client.delete(DeleteReq.builder().databaseName(database).collectionName(tombstones)
                    .filter(MilvusSchema.idIn(chunk) + " and " + old).build());
        }
        return ids.size();
    }

    private Map<String, Long> lsns(MilvusClientV2 client, String collection, List<String> ids) {
        Map<String, Long> lsns = new HashMap<>();
        query(client, collection, ids, MilvusRows.LSN_FIELDS).forEach((id, e) -> lsns.put(id, MilvusRows.lsn(e)));
        return lsns;
    }

    private Map<String, Map<String, Object>> query(MilvusClientV2 client, String collection, List<String> ids,
                                                   List<String> fields) {
        Map<String, Map<String, Object>> found = new HashMap<>();
        for (List<String> chunk : MilvusSchema.idChunks(ids)) {
            List<QueryResult> results = client.query(QueryReq.builder().databaseName(database)
                    .collectionName(collection).filter(MilvusSchema.idIn(chunk)).outputFields(fields)
                    .consistencyLevel(ConsistencyLevel.STRONG).build()).getQueryResults();
            for (QueryResult r : results) {
                found.put((String) r.getEntity().get(MilvusSchema.ID), r.getEntity());
            }
        }
        return found;
    }

    private void upsert(MilvusClientV2 client, String collection, List<Write> writes,
                        Function<Write, JsonObject> row,
                        ToLongFunction<Write> bytes) {
        // Rows are built chunk by chunk: a gson row of a 384-dimensional vector weighs tens of kilobytes.
        for (List<Write> chunk : MilvusRows.chunks(writes, bytes, MilvusRows.MAX_REQUEST_BYTES,
                MilvusRows.MAX_ROWS_PER_REQUEST)) {
            client.upsert(UpsertReq.builder().databaseName(database).collectionName(collection)
                    .data(chunk.stream().map(row).toList()).build());
        }
    }

    private void delete(MilvusClientV2 client, String collection, List<String> ids) {
        for (List<String> chunk : MilvusSchema.idChunks(ids)) {
            client.delete(DeleteReq.builder().databaseName(database).collectionName(collection)
                    .filter(MilvusSchema.idIn(chunk)).build());
        }
    }
}
