package io.vectorsync.store.milvus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.sink.api.BatchPlan.Write;
import io.vectorsync.sink.api.MetadataJson;
import io.vectorsync.sink.api.StoredDocument;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToLongFunction;

import static io.vectorsync.store.milvus.MilvusSchema.CONTENT;
import static io.vectorsync.store.milvus.MilvusSchema.CONTENT_HASH;
import static io.vectorsync.store.milvus.MilvusSchema.DUMMY_DIMENSION;
import static io.vectorsync.store.milvus.MilvusSchema.DUMMY_VECTOR;
import static io.vectorsync.store.milvus.MilvusSchema.EMBEDDING;
import static io.vectorsync.store.milvus.MilvusSchema.HAS_EMBEDDING;
import static io.vectorsync.store.milvus.MilvusSchema.ID;
import static io.vectorsync.store.milvus.MilvusSchema.METADATA;
import static io.vectorsync.store.milvus.MilvusSchema.MODEL;
import static io.vectorsync.store.milvus.MilvusSchema.SOURCE_LSN;
import static io.vectorsync.store.milvus.MilvusSchema.SOURCE_TS;

/**
 * Documents to Milvus rows and back, and the checks a change must pass before it is sent. Pure: no client.
 *
 * <p>Milvus 2.3 has no nullable fields: a missing vector is a zero vector with {@code has_embedding = false}, and a
 * missing model or content hash is stored as the empty string and read back as null.
 */
public final class MilvusRows {
    /** Largest insert or upsert request, well under the proxy's 64 MB gRPC limit. */
    static final long MAX_REQUEST_BYTES = 8L << 20;
    static final int MAX_ROWS_PER_REQUEST = 2_000;
    /** Fields read to decide whether a change is newer than what is stored. */
    static final List<String> LSN_FIELDS = List.of(ID, SOURCE_LSN);
    /** Fields read to give a document back. */
    static final List<String> DOCUMENT_FIELDS = List.of(ID, CONTENT, METADATA, EMBEDDING, MODEL, CONTENT_HASH,
            SOURCE_LSN, SOURCE_TS, HAS_EMBEDDING);

    private MilvusRows() {
    }

    /**
     * Why Milvus can never store this change, or null when it can: a text or metadata longer than its field allows.
     * Ids need no check: every id {@code BatchPlan} lets through fits the key field.
     */
    public static String rejection(Write write) {
        EnrichedChange change = write.change();
        if (change.isDelete()) {
            return null;
        }
        String tooLong = tooLong(change, CONTENT, change.content(), MilvusSchema.MAX_CONTENT_BYTES);
        tooLong = tooLong != null ? tooLong : tooLong(change, METADATA, write.metadataJson(),
                MilvusSchema.MAX_METADATA_BYTES);
        tooLong = tooLong != null ? tooLong : tooLong(change, MODEL, change.model(), MilvusSchema.MAX_MODEL_BYTES);
        return tooLong != null ? tooLong : tooLong(change, CONTENT_HASH, change.contentHash(),
                MilvusSchema.MAX_CONTENT_HASH_BYTES);
    }

    /** The row of an upsert; a change without a vector gets a zero vector and {@code has_embedding = false}. */
    public static JsonObject document(Write write, int dimension) {
        EnrichedChange change = write.change();
        JsonObject row = new JsonObject();
        row.addProperty(ID, change.id());
        float[] embedding = change.embedding();
        row.add(EMBEDDING, vector(embedding == null ? new float[dimension] : embedding));
        row.addProperty(CONTENT, change.content());
        // Parsed, not rebuilt from the map: gson keeps each number's text, so big integers stay exact.
        row.add(METADATA, JsonParser.parseString(write.metadataJson()));
        row.addProperty(MODEL, Objects.requireNonNullElse(change.model(), ""));
        row.addProperty(CONTENT_HASH, Objects.requireNonNullElse(change.contentHash(), ""));
        row.addProperty(SOURCE_LSN, change.lsn());
        row.addProperty(SOURCE_TS, change.sourceTsMs());
        row.addProperty(HAS_EMBEDDING, embedding != null);
        return row;
    }

    /**
     * The tombstone row of a delete (or of a truncate's watermark).
     *
     * @param sourceTsMs the change's commit time, or null for a tombstone collection made without that field
     */
    public static JsonObject tombstone(String id, long lsn, Long sourceTsMs) {
        JsonObject row = new JsonObject();
        row.addProperty(ID, id);
        row.addProperty(SOURCE_LSN, lsn);
        if (sourceTsMs != null) {
            row.addProperty(SOURCE_TS, sourceTsMs);
        }
        row.add(DUMMY_VECTOR, vector(new float[DUMMY_DIMENSION]));
        return row;
    }

    /** Roughly what a row costs in a request: vector, text fields and a little for the rest. */
    public static long requestBytes(Write write, int dimension) {
        EnrichedChange change = write.change();
        return 4L * dimension + utf8Length(change.id()) + utf8Length(change.content())
                + utf8Length(write.metadataJson()) + utf8Length(change.model()) + utf8Length(change.contentHash())
                + 64;
    }

    /** Items split into requests of at most {@code maxCount} items and, but for a single large item, maxBytes. */
    public static <T> List<List<T>> chunks(List<T> items, ToLongFunction<T> bytes, long maxBytes, int maxCount) {
        List<List<T>> chunks = new ArrayList<>();
        List<T> current = new ArrayList<>();
        long size = 0;
        for (T item : items) {
            long itemBytes = bytes.applyAsLong(item);
            if (!current.isEmpty() && (current.size() >= maxCount || size + itemBytes > maxBytes)) {
                chunks.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(item);
            size += itemBytes;
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }

    /** A row as read back with {@link #DOCUMENT_FIELDS}. */
    public static StoredDocument stored(Map<String, Object> entity) {
        boolean hasEmbedding = Boolean.TRUE.equals(entity.get(HAS_EMBEDDING));
        return new StoredDocument((String) entity.get(ID), (String) entity.get(CONTENT), metadata(entity),
                hasEmbedding ? floats(entity.get(EMBEDDING)) : null, emptyToNull(entity.get(MODEL)),
                emptyToNull(entity.get(CONTENT_HASH)), ((Number) entity.get(SOURCE_LSN)).longValue());
    }

    /** The LSN of a row read with {@link #LSN_FIELDS} or more. */
    public static long lsn(Map<String, Object> entity) {
        return ((Number) entity.get(SOURCE_LSN)).longValue();
    }

    /**
     * Whether the stored row already says what the upsert would write, so that a change with the stored LSN is
     * written only when it differs (a re-embedding, say), as in the pgvector sink.
     */
    public static boolean sameAsStored(Write write, Map<String, Object> entity) {
        EnrichedChange change = write.change();
        StoredDocument stored = stored(entity);
        return Objects.equals(stored.content(), change.content())
                && Arrays.equals(stored.embedding(), change.embedding())
                && Objects.equals(stored.model(), emptyToNull(change.model()))
                && Objects.equals(stored.contentHash(), emptyToNull(change.contentHash()))
                && entity.get(SOURCE_TS) instanceof Number ts && ts.longValue() == change.sourceTsMs()
                && sameJson(metadataText(entity), write.metadataJson());
    }

    static int utf8Length(String s) {
        if (s == null) {
            return 0;
        }
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static String tooLong(EnrichedChange change, String field, String value, int maxBytes) {
        int bytes = utf8Length(value);
        if (bytes <= maxBytes) {
            return null;
        }
        return "milvus cannot store change " + change.documentKey() + ": its " + field + " is " + bytes
                + " bytes (UTF-8) but collection '" + change.collection() + "' allows at most " + maxBytes;
    }

    private static JsonArray vector(float[] values) {
        JsonArray array = new JsonArray(values.length);
        for (float f : values) {
            array.add(f);
        }
        return array;
    }

    private static float[] floats(Object value) {
        if (value == null) {
            return null;
        }
        List<?> list = (List<?>) value;
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) list.get(i)).floatValue();
        }
        return out;
    }

    static Map<String, Object> metadata(Map<String, Object> entity) {
        return MetadataJson.parse(metadataText(entity));
    }

    /** The JSON field as text: the SDK hands it back as a gson tree, which prints numbers as they were sent. */
    private static String metadataText(Map<String, Object> entity) {
        Object value = entity.get(METADATA);
        if (value == null) {
            return null;
        }
        return value instanceof JsonElement element ? element.toString() : value.toString();
    }

    private static boolean sameJson(String a, String b) {
        if (a == null || b == null) {
            return a == null && b == null;
        }
        try {
            JsonNode left = Json.mapper().readTree(a);
            JsonNode right = Json.mapper().readTree(b);
            return left.equals(right);
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static String emptyToNull(Object value) {
        return value == null || "".equals(value) ? null : value.toString();
    }
}
