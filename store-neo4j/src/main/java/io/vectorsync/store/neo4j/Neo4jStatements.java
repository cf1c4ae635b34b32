package io.vectorsync.store.neo4j;

import io.vectorsync.core.config.Relation;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.core.model.Identifiers;
import io.vectorsync.sink.api.BatchPlan;
import io.vectorsync.sink.api.BatchPlan.Write;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Cypher of the Neo4j sink and the parameter rows it takes. Pure text and maps, no driver; every label, type and
 * index name is a validated identifier in backquotes, every value a parameter.
 *
 * <p>Data model. A document is a node labelled with its collection, properties {@code id}, {@code content},
 * {@code metadata} (the JSON text of {@link io.vectorsync.sink.api.MetadataJson}, so nested values round-trip),
 * {@code model}, {@code content_hash}, {@code source_lsn}, {@code source_ts} (a datetime) and {@code embedding}
 * (absent for blank text). A delete removes the node with its relationships and leaves a
 * {@code <collection>__Tombstone} node holding {@code id}, {@code source_lsn} and {@code source_ts} (the delete's
 * commit time, from which its age counts when tombstones are purged), so a replayed older insert cannot resurrect
 * it; a newer insert removes the tombstone. Each relation {@code column->TYPE:Label} of the mapping gives
 * the document one {@code [:TYPE]} relationship to {@code (:Label {id: <metadata[column] as text>})}, merged, when
 * the value is not null. A node of the collection's label without {@code source_lsn} is only such a relationship
 * target, not a document. A TRUNCATE of the source leaves a tombstone for the whole collection: the tombstone whose id
 * is {@link BatchPlan#TRUNCATE_WATERMARK_ID} (no document has an id that long) holds the truncate's LSN, and no upsert
 * older than it is written.
 *
 * <p>The LSN guard lives in the statements, with the same rules as pgvector's, so replays and out-of-order
 * deliveries are harmless whatever the caller does, and each statement returns how many changes took effect.
 */
public final class Neo4jStatements {
    static final String TOMBSTONE_SUFFIX = "__Tombstone";
    static final String INDEX_SUFFIX = "__embedding";
    static final String FULLTEXT_SUFFIX = "__content";
    /** Leaves room for the tombstone label within the 63 characters {@link Identifiers} allows. */
    public static final int MAX_COLLECTION_LENGTH = 63 - TOMBSTONE_SUFFIX.length();
    /** Neo4j 5's vector indexes take at most this many dimensions. */
    public static final int MAX_DIMENSION = 4096;

    private Neo4jStatements() {
    }

    /** @throws IllegalArgumentException when the name is not an identifier or leaves no room for the suffixes */
    public static String requireCollection(String collection) {
        Identifiers.requireValid(collection, "collection");
        if (collection.length() > MAX_COLLECTION_LENGTH) {
            throw new IllegalArgumentException("collection '" + collection + "' is " + collection.length()
                    + " characters long but the neo4j sink allows at most " + MAX_COLLECTION_LENGTH
                    + ", so that its tombstone label '" + collection + TOMBSTONE_SUFFIX + "' is still an identifier");
        }
        return collection;
    }

    /**
     * The relations a collection's documents get, checked: two relations with the same type and label would remove
     * each other's relationship on every update.
     *
     * @throws IllegalArgumentException naming the clashing relations
     */
    public static List<Relation> requireRelations(String collection, List<Relation> relations) {
        Map<String, Relation> seen = new LinkedHashMap<>();
        for (Relation r : relations) {
            Relation clash = seen.putIfAbsent(r.type() + ":" + r.label(), r);
            if (clash != null) {
                throw new IllegalArgumentException("collection '" + collection + "' has relations " + clash + " and "
                        + r + " of the same type and label; the neo4j sink needs each type:label pair once");
            }
        }
        return List.copyOf(relations);
    }

    public static String label(String collection) {
        return Identifiers.quoteCypher(requireCollection(collection));
    }

    public static String tombstoneLabel(String collection) {
        return Identifiers.quoteCypher(requireCollection(collection) + TOMBSTONE_SUFFIX);
    }

    /** Name of the collection's vector index, for {@code db.index.vector.queryNodes}. */
    public static String indexName(String collection) {
        return requireCollection(collection) + INDEX_SUFFIX;
    }

    // ---- schema -------------------------------------------------------------------------------------

    /**
     * Everything a collection needs, in order, each statement idempotent and run on its own (Neo4j does not mix
     * schema and data in one transaction): unique {@code id} on documents, tombstones and relationship targets (the
     * lookups of every write), and the cosine vector index.
     */
    public static List<String> create(String collection, List<Relation> relations, int dimension) {
        if (dimension < 1 || dimension > MAX_DIMENSION) {
            throw new IllegalArgumentException("dimension must be between 1 and " + MAX_DIMENSION + ", was "
                    + dimension);
        }
        requireCollection(collection);
        List<String> out = new ArrayList<>();
        Set<String> labels = new LinkedHashSet<>();
        labels.add(collection);
        labels.add(collection + TOMBSTONE_SUFFIX);
        relations.forEach(r -> labels.add(r.label()));
        for (String label : labels) {
            out.add(uniqueId(label));
        }
        out.add("CREATE INDEX " + name(collection + TOMBSTONE_SUFFIX + "__source_ts") + " IF NOT EXISTS FOR (t:"
                + tombstoneLabel(collection) + ") ON (t.source_ts)");
        out.add("CREATE VECTOR INDEX " + name(indexName(collection)) + " IF NOT EXISTS FOR (n:" + label(collection)
                + ") ON (n.embedding) OPTIONS {indexConfig: {`vector.dimensions`: " + dimension
                + ", `vector.similarity_function`: 'cosine'}}");
        // Keyword search; the default analyzer (standard-no-stop-words) splits at Unicode word boundaries.
        out.add("CREATE FULLTEXT INDEX " + name(fulltextIndexName(collection)) + " IF NOT EXISTS FOR (n:"
                + label(collection) + ") ON EACH [n.content]");
        return out;
    }

    /** Name of the collection's full-text index on {@code content}, for {@code db.index.fulltext.queryNodes}. */
    public static String fulltextIndexName(String collection) {
        return requireCollection(collection) + FULLTEXT_SUFFIX;
    }

    /**
     * Keyword search through the full-text index, documents only (relationship-only nodes have no content, so are
     * not indexed), best first by Lucene's score, ties by id. Parameters: {@code index}, {@code query} (a Lucene query:
     * escape user text with {@link LuceneQuery#escape}), {@code k}. Columns: id, content, metadata, score.
     */
    public static String keywordSearch() {
        return "CALL db.index.fulltext.queryNodes($index, $query, {limit: $k}) YIELD node, score"
                + " WHERE node.source_lsn IS NOT NULL"
                + " RETURN node.id AS id, node.content AS content, node.metadata AS metadata, score"
                + " ORDER BY score DESC, id LIMIT $k";
    }

    /**
     * Gives tombstones written before tombstones were purged the time of this upgrade, from which their age then
     * counts. Auto-commit only (it commits in chunks). No parameters.
     */
    public static String dateUndatedTombstones(String collection) {
        return "MATCH (t:" + tombstoneLabel(collection) + ") WHERE t.source_ts IS NULL"
                + " CALL { WITH t SET t.source_ts = datetime() } IN TRANSACTIONS OF 10000 ROWS";
    }

    /** Waits for every index to come online. Parameter: {@code timeoutSeconds}. */
    public static String awaitIndexes() {
        return "CALL db.awaitIndexes($timeoutSeconds)";
    }

    /**
     * The dimension of every vector index on the collection's {@code embedding}, whatever its name. Parameter:
     * {@code label} (unquoted). Columns: {@code name}, {@code dimensions}.
     */
    public static String vectorIndexDimensions() {
        return "SHOW VECTOR INDEXES YIELD name, labelsOrTypes, properties, options"
                + " WHERE labelsOrTypes = [$label] AND properties = ['embedding']"
                + " RETURN name, options.indexConfig.`vector.dimensions` AS dimensions";
    }

    private static String uniqueId(String label) {
        return "CREATE CONSTRAINT " + name(label + "__id") + " IF NOT EXISTS FOR (n:"
                + Identifiers.quoteCypher(label) + ") REQUIRE n.id IS UNIQUE";
    }

    /** Constraint and index names may run past 63 characters; they are built from validated identifiers only. */
    private static String name(String name) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("'" + name + "' is not a valid schema name");
        }
        return "`" + name + "`";
    }

    // ---- writes -------------------------------------------------------------------------------------

    /**
     * Inserts or replaces documents unless a tombstone or the stored document has a newer LSN. A change with the
     * stored LSN only writes when it differs (a re-embedding, say), so a replay touches nothing. Rewrites the
     * document's relationships, and removes its tombstone. Parameter: {@code rows}, from {@link #upsertRow}.
     * Column: {@code applied}.
     */
    public static String upsert(String collection, List<Relation> relations) {
        StringBuilder cypher = new StringBuilder()
                .append("OPTIONAL MATCH (w:").append(tombstoneLabel(collection)).append(" {id: '")
                .append(BatchPlan.TRUNCATE_WATERMARK_ID).append("'})\n")
                .append("WITH coalesce(w.source_lsn, -1) AS truncated\n")
                .append("UNWIND $rows AS row\n")
                .append("OPTIONAL MATCH (t:").append(tombstoneLabel(collection)).append(" {id: row.id})\n")
                .append("OPTIONAL MATCH (n:").append(label(collection)).append(" {id: row.id})\n")
                .append("WITH row, t, n, truncated\n")
                .append("WHERE truncated <= row.props.source_lsn\n")
                .append("  AND (t IS NULL OR t.source_lsn <= row.props.source_lsn)\n")
                .append("  AND (n IS NULL OR n.source_lsn IS NULL OR n.source_lsn < row.props.source_lsn\n")
                .append("       OR (n.source_lsn = row.props.source_lsn AND properties(n) <> row.props))\n")
                .append("MERGE (m:").append(label(collection)).append(" {id: row.id})\n")
                // Replaces every property: one the new version lacks (the vector of blank text) goes away.
                .append("SET m = row.props\n")
                .append("DELETE t\n")
                .append("WITH row, m\n");
        for (int i = 0; i < relations.size(); i++) {
            Relation r = relations.get(i);
            String type = Identifiers.quoteCypher(r.type());
            String target = Identifiers.quoteCypher(r.label());
            cypher.append("FOREACH (old IN [(m)-[r:").append(type).append("]->(:").append(target)
                    .append(") | r] | DELETE old)\n")
                    .append("FOREACH (target IN CASE WHEN row.targets[").append(i).append("] IS NULL THEN []")
                    .append(" ELSE [row.targets[").append(i).append("]] END |\n")
                    .append("  MERGE (x:").append(target).append(" {id: target}) MERGE (m)-[:").append(type)
                    .append("]->(x))\n");
        }
        return cypher.append("RETURN count(*) AS applied").toString();
    }

    /**
     * Deletes documents (with their relationships) unless the stored document is newer, and records the delete's
     * LSN in a tombstone unless a newer document or tombstone exists. A delete counts as applied when it did either,
     * the same rule as pgvector's. Parameter: {@code rows}, from {@link #deleteRow}. Column: {@code applied}.
     */
    public static String delete(String collection) {
        return "UNWIND $rows AS row\n"
                + "OPTIONAL MATCH (n:" + label(collection) + " {id: row.id}) WHERE n.source_lsn IS NOT NULL\n"
                + "OPTIONAL MATCH (t:" + tombstoneLabel(collection) + " {id: row.id})\n"
                + "WITH row, n, t,\n"
                + "     n IS NOT NULL AND n.source_lsn <= row.source_lsn AS removes,\n"
                + "     (n IS NULL OR n.source_lsn <= row.source_lsn)"
                + " AND (t IS NULL OR t.source_lsn < row.source_lsn) AS marks\n"
                + "WHERE removes OR marks\n"
                + "FOREACH (doc IN CASE WHEN removes THEN [n] ELSE [] END | DETACH DELETE doc)\n"
                + "FOREACH (_ IN CASE WHEN marks THEN [1] ELSE [] END |\n"
                + "  MERGE (d:" + tombstoneLabel(collection) + " {id: row.id})"
                + " SET d.source_lsn = row.source_lsn, d.source_ts = row.source_ts)\n"
                + "RETURN count(*) AS applied";
    }

    /**
     * Raises the collection's truncate watermark to a truncate's LSN. Parameters: {@code lsn}, {@code ts}. Column:
     * {@code applied}, 1 when it rose. Run first of a truncate's three statements, in one transaction.
     */
    public static String recordTruncate(String collection) {
        return "MERGE (w:" + tombstoneLabel(collection) + " {id: '" + BatchPlan.TRUNCATE_WATERMARK_ID + "'})\n"
                + "WITH w, coalesce(w.source_lsn, -1) < $lsn AS raises\n"
                + "SET w.source_lsn = CASE WHEN raises THEN $lsn ELSE w.source_lsn END,\n"
                + "    w.source_ts = CASE WHEN raises THEN $ts ELSE w.source_ts END\n"
                + "RETURN CASE WHEN raises THEN 1 ELSE 0 END AS applied";
    }

    /**
     * Removes every document older than a truncate, with its relationships; relationship targets that are not
     * documents (no {@code source_lsn}) stay. Parameter: {@code lsn}.
     */
    public static String truncateDocuments(String collection) {
        return "MATCH (n:" + label(collection) + ") WHERE n.source_lsn < $lsn DETACH DELETE n";
    }

    /** Removes the tombstones a truncate's watermark makes needless. Parameter: {@code lsn}. */
    public static String truncateTombstones(String collection) {
        return "MATCH (t:" + tombstoneLabel(collection) + ") WHERE t.source_lsn < $lsn AND t.id <> '"
                + BatchPlan.TRUNCATE_WATERMARK_ID + "' DELETE t";
    }

    /**
     * Removes at most {@code $limit} tombstones whose delete was committed before {@code $cutoff} (a datetime), never
     * the truncate watermark. Column: {@code purged}.
     */
    public static String purgeTombstones(String collection) {
        return "MATCH (t:" + tombstoneLabel(collection) + ") WHERE t.source_ts < $cutoff AND t.id <> '"
                + BatchPlan.TRUNCATE_WATERMARK_ID + "'\n"
                + "WITH t LIMIT $limit DELETE t RETURN count(*) AS purged";
    }

    /**
     * One upsert's parameters: {@code id}, {@code props} (every property of the node, nulls left out so that it
     * compares equal to {@code properties(n)} on a replay) and {@code targets}, the relationship target id of each
     * relation in order (null for none).
     */
    public static Map<String, Object> upsertRow(Write write, List<Relation> relations) {
        EnrichedChange change = write.change();
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("id", change.id());
        props.put("content", change.content());
        props.put("metadata", write.metadataJson());
        putIfNotNull(props, "model", change.model());
        putIfNotNull(props, "content_hash", change.contentHash());
        props.put("source_lsn", change.lsn());
        props.put("source_ts", sourceTs(change));
        if (change.embedding() != null) {
            props.put("embedding", toList(change.embedding()));
        }
        List<String> targets = new ArrayList<>(relations.size());
        for (Relation r : relations) {
            targets.add(targetId(change.metadata().get(r.column())));
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", change.id());
        row.put("props", props);
        row.put("targets", targets);
        return row;
    }

    /** One delete's parameters: {@code id}, {@code source_lsn}, {@code source_ts}. */
    public static Map<String, Object> deleteRow(EnrichedChange change) {
        return Map.of("id", change.id(), "source_lsn", change.lsn(), "source_ts", sourceTs(change));
    }

    /** A change's source commit time, as Neo4j stores it (a datetime). */
    public static OffsetDateTime sourceTs(EnrichedChange change) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(change.sourceTsMs()), ZoneOffset.UTC);
    }

    /**
     * A relationship target's id: the value as text, integral numbers without a fraction ({@code 7}, not
     * {@code 7.0}) so that a key read as a double still names the same node; JSON for nested values.
     */
    public static String targetId(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 0x1p53) {
                return Long.toString((long) d);
            }
            return value.toString();
        }
        if (value instanceof BigDecimal big) {
            BigDecimal plain = big.stripTrailingZeros();
            return plain.scale() <= 0 ? plain.toBigInteger().toString() : plain.toPlainString();
        }
        if (value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof BigInteger) {
            return value.toString();
        }
        if (value instanceof Map || value instanceof Iterable) {
            return Json.write(value);
        }
        return value.toString();
    }

    private static List<Double> toList(float[] vector) {
        List<Double> out = new ArrayList<>(vector.length);
        for (float f : vector) {
            out.add((double) f);
        }
        return out;
    }

    private static void putIfNotNull(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
