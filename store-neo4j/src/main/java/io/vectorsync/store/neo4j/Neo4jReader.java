package io.vectorsync.store.neo4j;

import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.MetadataJson;
import io.vectorsync.sink.api.SearchHit;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.sink.api.SinkReaders;
import io.vectorsync.sink.api.SinkUnavailableException;
import io.vectorsync.sink.api.StoredDocument;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.Value;
import org.neo4j.driver.exceptions.Neo4jException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads documents back from the Neo4j sink's nodes, for validation, search and tests. Its own driver; reads run in
 * auto-commit transactions. A label Neo4j has never seen simply matches nothing.
 */
public final class Neo4jReader implements SinkReader {
    /** How the reader's connections show in {@code SHOW TRANSACTIONS}. */
    public static final String USER_AGENT = "vectorsync-neo4j-reader";
    private static final String DOCUMENT_COLUMNS = "n.id AS id, n.content AS content, n.metadata AS metadata,"
            + " n.embedding AS embedding, n.model AS model, n.content_hash AS content_hash,"
            + " n.source_lsn AS source_lsn";

    private final Neo4jConnection connection;

    public Neo4jReader(Neo4jSinkConfig config) {
        this.connection = new Neo4jConnection(config, USER_AGENT);
    }

    @Override
    public SinkName name() {
        return SinkName.NEO4J;
    }

    @Override
    public Optional<StoredDocument> find(String collection, String id) throws SinkUnavailableException {
        return Optional.ofNullable(findAll(collection, List.of(id)).get(id));
    }

    @Override
    public Map<String, StoredDocument> findAll(String collection, Collection<String> ids)
            throws SinkUnavailableException {
        String cypher = "UNWIND $ids AS id MATCH (n:" + Neo4jStatements.label(collection) + " {id: id})"
                + " WHERE n.source_lsn IS NOT NULL RETURN " + DOCUMENT_COLUMNS;
        Map<String, StoredDocument> found = new LinkedHashMap<>();
        for (Record r : read("could not read from collection '" + collection + "'", cypher,
                Map.of("ids", List.copyOf(ids)))) {
            StoredDocument doc = document(r);
            found.put(doc.id(), doc);
        }
        return found;
    }

    @Override
    public long count(String collection) throws SinkUnavailableException {
        String cypher = "MATCH (n:" + Neo4jStatements.label(collection) + ") WHERE n.source_lsn IS NOT NULL"
                + " RETURN count(n) AS count";
        return read("could not count collection '" + collection + "'", cypher, Map.of()).get(0).get("count").asLong();
    }

    /**
     * Documents only: tombstones carry another label, and relationship-only nodes of this label have no
     * {@code source_lsn}. Neo4j compares strings by code point, the binary order every reader shares; the unique
     * constraint's range index on {@code id} serves the range and the order.
     */
    @Override
    public List<String> ids(String collection, String afterId, int limit) throws SinkUnavailableException {
        SinkReaders.requireLimit(limit);
        String cypher = "MATCH (n:" + Neo4jStatements.label(collection) + ")"
                + " WHERE n.source_lsn IS NOT NULL" + (afterId == null ? "" : " AND n.id > $after")
                + " RETURN n.id AS id ORDER BY id LIMIT $limit";
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("limit", limit);
        if (afterId != null) {
            parameters.put("after", afterId);
        }
        List<String> ids = new ArrayList<>();
        for (Record r : read("could not list ids of collection '" + collection + "'", cypher, parameters)) {
            ids.add(r.get("id").asString());
        }
        return ids;
    }

    /**
     * The document's outgoing relationships: type to the ids of the nodes they point at, both sorted. Empty when the
     * document has none or does not exist.
     */
    @Override
    public Map<String, List<String>> relationships(String collection, String id) throws SinkUnavailableException {
        String cypher = "MATCH (n:" + Neo4jStatements.label(collection) + " {id: $id})-[r]->(t)"
                + " WHERE n.source_lsn IS NOT NULL RETURN type(r) AS type, t.id AS target ORDER BY type, target";
        Map<String, List<String>> out = new TreeMap<>();
        for (Record r : read("could not read relationships in collection '" + collection + "'", cypher,
                Map.of("id", id))) {
            out.computeIfAbsent(r.get("type").asString(), k -> new ArrayList<>())
                    .add(r.get("target").isNull() ? null : r.get("target").asString());
        }
        return out;
    }

    /**
     * The {@code k} documents nearest to {@code query} by the collection's cosine vector index, nearest first.
     * Documents without a vector (blank text) are never returned.
     *
     * @throws IllegalArgumentException for an invalid collection name or {@code k < 1}
     */
    @Override
    public List<SearchHit> search(String collection, float[] query, int k) throws SinkUnavailableException {
        Objects.requireNonNull(query, "query");
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, was " + k);
        }
        List<Double> vector = new ArrayList<>(query.length);
        for (float f : query) {
            vector.add((double) f);
        }
        String cypher = "CALL db.index.vector.queryNodes($index, $k, $vector) YIELD node, score"
                + " RETURN node.id AS id, node.content AS content, node.metadata AS metadata, score";
        List<SearchHit> hits = new ArrayList<>(k);
        for (Record r : read("could not search collection '" + collection + "'", cypher,
                Map.of("index", Neo4jStatements.indexName(collection), "k", k, "vector", vector))) {
            // Neo4j scores cosine as (1 + cos) / 2; report the cosine itself, as pgvector does.
            hits.add(new SearchHit(r.get("id").asString(), string(r.get("content")),
                    MetadataJson.parse(string(r.get("metadata"))), 2 * r.get("score").asDouble() - 1));
        }
        return hits;
    }

    /** Neo4j searches by keyword through the collection's full-text index. */
    @Override
    public Optional<String> keywordSearchRefusal() {
        return Optional.empty();
    }

    /**
     * The {@code k} documents whose text best matches {@code text} by the collection's full-text index, best first:
     * the text's words OR-ed, Lucene syntax escaped ({@link LuceneQuery}). Empty for blank text or a collection
     * without the index (never prepared).
     */
    @Override
    public List<SearchHit> keywordSearch(String collection, String text, int k) throws SinkUnavailableException {
        Objects.requireNonNull(text, "text");
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, was " + k);
        }
        if (text.isBlank() || !hasFulltextIndex(collection)) {
            return List.of();
        }
        List<SearchHit> hits = new ArrayList<>(k);
        for (Record r : read("could not search collection '" + collection + "' by keyword",
                Neo4jStatements.keywordSearch(), Map.of("index", Neo4jStatements.fulltextIndexName(collection),
                        "query", LuceneQuery.escape(text), "k", k))) {
            hits.add(new SearchHit(r.get("id").asString(), string(r.get("content")),
                    MetadataJson.parse(string(r.get("metadata"))), r.get("score").asDouble()));
        }
        return hits;
    }

    private boolean hasFulltextIndex(String collection) throws SinkUnavailableException {
        return !read("could not look up the full-text index of collection '" + collection + "'",
                "SHOW FULLTEXT INDEXES YIELD name WHERE name = $name RETURN name",
                Map.of("name", Neo4jStatements.fulltextIndexName(collection))).isEmpty();
    }

    @Override
    public void close() {
        connection.close();
    }

    private List<Record> read(String what, String cypher, Map<String, Object> parameters)
            throws SinkUnavailableException {
        try {
            return connection.call((session, answered) -> session.run(cypher, parameters).list());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SinkUnavailableException(SinkName.NEO4J + " sink " + what + ": interrupted", e);
        } catch (Neo4jException e) {
            String reason = (Neo4jErrors.isConnectFailure(e) ? "cannot connect to " + connection.uri() + ": " : "")
                    + Neo4jErrors.describe(e);
            throw new SinkUnavailableException(SinkName.NEO4J + " sink " + what + ": " + reason, e);
        }
    }

    private static StoredDocument document(Record r) {
        Value embedding = r.get("embedding");
        float[] vector = null;
        if (!embedding.isNull()) {
            List<Object> values = embedding.asList();
            vector = new float[values.size()];
            for (int i = 0; i < vector.length; i++) {
                vector[i] = ((Number) values.get(i)).floatValue();
            }
        }
        return new StoredDocument(r.get("id").asString(), string(r.get("content")),
                MetadataJson.parse(string(r.get("metadata"))), vector, string(r.get("model")),
                string(r.get("content_hash")), r.get("source_lsn").asLong());
    }

    private static String string(Value value) {
        return value.isNull() ? null : value.asString();
    }
}
