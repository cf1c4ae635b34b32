package io.vectorsync.store.milvus;

import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import io.milvus.v2.service.vector.request.QueryReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.milvus.v2.service.vector.response.QueryResp.QueryResult;
import io.milvus.v2.service.vector.response.SearchResp;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.SearchHit;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.sink.api.SinkReaders;
import io.vectorsync.sink.api.SinkUnavailableException;
import io.vectorsync.sink.api.StoredDocument;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads documents back from the Milvus sink's collections, for validation, search and tests. STRONG consistency, so
 * it sees every batch a {@link MilvusSink} has returned from {@code apply}. A document stored without a vector (blank
 * text) comes back with {@code embedding} null. Its own client; one thread at a time.
 */
public final class MilvusReader implements SinkReader {
    private final MilvusSinkConfig config;
    private final MilvusConnection connection;
    /** Collections seen to exist: asked about once, so reads of a missing collection don't log server errors. */
    private final Set<String> known = new HashSet<>();

    public MilvusReader(MilvusSinkConfig config) {
        this.config = config;
        this.connection = new MilvusConnection(config, "milvus reader");
    }

    @Override
    public SinkName name() {
        return SinkName.MILVUS;
    }

    @Override
    public Optional<StoredDocument> find(String collection, String id) throws SinkUnavailableException {
        return Optional.ofNullable(findAll(collection, List.of(id)).get(id));
    }

    @Override
    public Map<String, StoredDocument> findAll(String collection, Collection<String> ids)
            throws SinkUnavailableException {
        MilvusSchema.requireCollection(collection);
        List<String> wanted = List.copyOf(new LinkedHashSet<>(ids));
        Map<String, StoredDocument> found = new LinkedHashMap<>();
        if (wanted.isEmpty()) {
            return found;
        }
        Map<String, StoredDocument> byId = read("could not read from collection '" + collection + "'", collection,
                client -> {
                    Map<String, StoredDocument> docs = new HashMap<>();
                    for (List<String> chunk : MilvusSchema.idChunks(wanted)) {
                        for (QueryResult r : query(client, collection, MilvusSchema.idIn(chunk),
                                MilvusRows.DOCUMENT_FIELDS)) {
                            StoredDocument doc = MilvusRows.stored(r.getEntity());
                            docs.put(doc.id(), doc);
                        }
                    }
                    return docs;
                }, Map.of());
        for (String id : wanted) {
            StoredDocument doc = byId.get(id);
            if (doc != null) {
                found.put(id, doc);
            }
        }
        return found;
    }

    /**
     * A query with a limit returns rows in primary-key order, and Milvus compares VARCHAR keys as bytes, so a range on
     * the key is the binary-order keyset scan every reader shares. Milvus caps one query at
     * {@value MilvusSchema#MAX_QUERY_LIMIT} rows, so larger pages take several queries.
     */
    @Override
    public List<String> ids(String collection, String afterId, int limit) throws SinkUnavailableException {
        MilvusSchema.requireCollection(collection);
        SinkReaders.requireLimit(limit);
        return read("could not list ids of collection '" + collection + "'", collection, client -> {
            List<String> ids = new ArrayList<>();
            String after = afterId;
            while (ids.size() < limit) {
                int want = Math.min(limit - ids.size(), MilvusSchema.MAX_QUERY_LIMIT);
                List<QueryResult> page = client.query(QueryReq.builder().databaseName(config.database())
                        .collectionName(collection).filter(after == null ? "" : MilvusSchema.idAfter(after))
                        .outputFields(List.of(MilvusSchema.ID)).limit(want)
                        .consistencyLevel(ConsistencyLevel.STRONG).build()).getQueryResults();
                for (QueryResult r : page) {
                    ids.add((String) r.getEntity().get(MilvusSchema.ID));
                }
                if (page.size() < want) {
                    break;
                }
                after = ids.get(ids.size() - 1);
            }
            return ids;
        }, List.of());
    }

    @Override
    public long count(String collection) throws SinkUnavailableException {
        MilvusSchema.requireCollection(collection);
        return read("could not count collection '" + collection + "'", collection, client -> {
            List<QueryResult> results = query(client, collection, "", List.of("count(*)"));
            return results.isEmpty() ? 0L : ((Number) results.get(0).getEntity().get("count(*)")).longValue();
        }, 0L);
    }

    /**
     * The {@code k} documents nearest to {@code vector} by cosine similarity, nearest first; documents without a
     * vector are never returned. Empty when the collection does not exist.
     */
    /**
     * The Milvus this project runs (2.3) has no full-text (BM25) search: that came with Milvus 2.5. A keyword or
     * hybrid request is refused with this message rather than answered by vector search under another name.
     */
    public static final String NO_KEYWORD_SEARCH =
            "Milvus 2.3 has no keyword search; ask pgvector or neo4j, or use mode=vector";

    @Override
    public Optional<String> keywordSearchRefusal() {
        return Optional.of(NO_KEYWORD_SEARCH);
    }

    @Override
    public List<SearchHit> search(String collection, float[] vector, int k) throws SinkUnavailableException {
        MilvusSchema.requireCollection(collection);
        Objects.requireNonNull(vector, "vector");
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, was " + k);
        }
        return read("could not search collection '" + collection + "'", collection, client -> {
            SearchResp resp = client.search(SearchReq.builder().databaseName(config.database())
                    .collectionName(collection).annsField(MilvusSchema.EMBEDDING).data(List.of(new FloatVec(vector)))
                    .limit(k).filter(MilvusSchema.HAS_EMBEDDING + " == true")
                    .outputFields(List.of(MilvusSchema.ID, MilvusSchema.CONTENT, MilvusSchema.METADATA))
                    .consistencyLevel(ConsistencyLevel.STRONG).build());
            List<SearchHit> hits = new ArrayList<>();
            if (!resp.getSearchResults().isEmpty()) {
                for (SearchResp.SearchResult r : resp.getSearchResults().get(0)) {
                    hits.add(new SearchHit(String.valueOf(r.getId()), (String) r.getEntity().get(MilvusSchema.CONTENT),
                            MilvusRows.metadata(r.getEntity()), r.getScore()));
                }
            }
            return hits;
        }, List.of());
    }

    @Override
    public void close() {
        connection.close();
    }

    private List<QueryResult> query(MilvusClientV2 client, String collection, String filter, List<String> fields) {
        return client.query(QueryReq.builder().databaseName(config.database()).collectionName(collection)
                .filter(filter).outputFields(fields).consistencyLevel(ConsistencyLevel.STRONG).build())
                .getQueryResults();
    }

    /** Runs a read, or returns {@code missing} when the collection does not exist. */
    private <T> T read(String what, String collection, Function<MilvusClientV2, T> reads, T missing)
            throws SinkUnavailableException {
        try {
            MilvusClientV2 client = connection.get();
            if (!known.contains(collection)) {
                if (!client.hasCollection(HasCollectionReq.builder().databaseName(config.database())
                        .collectionName(collection).build())) {
                    return missing;
                }
                known.add(collection);
            }
            return reads.apply(client);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw e;
        } catch (RuntimeException e) {
            if (MilvusErrors.isCollectionNotFound(e)) {
                known.remove(collection);
                return missing;
            }
            connection.discard();
            throw new SinkUnavailableException(SinkName.MILVUS + " sink " + what + " at " + config.safeUri() + ": "
                    + MilvusErrors.describe(e), e);
        }
    }
}
