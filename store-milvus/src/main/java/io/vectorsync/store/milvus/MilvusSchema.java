package io.vectorsync.store.milvus;

import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq.CollectionSchema;
import io.milvus.v2.service.collection.request.CreateCollectionReq.FieldSchema;
import io.vectorsync.sink.api.BatchPlan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The shape of the Milvus sink's data: one collection per mapping and a tombstone collection beside it remembering the
 * LSN of deletes, their fields, indexes and the filter expressions that select documents by id. Pure: no client.
 *
 * <p>Milvus 2.3 has no nullable fields and cannot store a missing vector, so a document whose text is blank is stored
 * with a zero vector and {@code has_embedding = false}; readers give it back without a vector and searches filter it
 * out. Every collection needs a vector field to be loaded, so the tombstone collection carries a 2-dimensional dummy.
 */
public final class MilvusSchema {
    public static final String ID = "id";
    public static final String EMBEDDING = "embedding";
    public static final String CONTENT = "content";
    public static final String METADATA = "metadata";
    public static final String MODEL = "model";
    public static final String CONTENT_HASH = "content_hash";
    public static final String SOURCE_LSN = "source_lsn";
    public static final String SOURCE_TS = "source_ts";
    public static final String HAS_EMBEDDING = "has_embedding";
    /** The tombstone collection's dummy vector: Milvus 2.3 loads no collection without one. */
    public static final String DUMMY_VECTOR = "dummy_vector";
    public static final int DUMMY_DIMENSION = 2;

    /**
     * Milvus limits VARCHAR fields in bytes (UTF-8): the key field takes any id {@code BatchPlan} accepts, up to
     * {@value BatchPlan#MAX_ID_LENGTH} UTF-16 units of at most 3 bytes each.
     */
    public static final int MAX_ID_BYTES = 3 * BatchPlan.MAX_ID_LENGTH;
    /** Milvus's own limits for VARCHAR and JSON fields; longer values are rejected before writing. */
    public static final int MAX_CONTENT_BYTES = 65_535;
    public static final int MAX_METADATA_BYTES = 65_536;
    public static final int MAX_MODEL_BYTES = 512;
    public static final int MAX_CONTENT_HASH_BYTES = 512;
    /** Milvus 2.3 indexes at most this many dimensions. */
    public static final int MAX_DIMENSION = 32_768;

    static final String TOMBSTONE_SUFFIX = "__tombstones";
    /** Milvus allows 255 characters; the tombstone collection's name must fit too. */
    public static final int MAX_COLLECTION_LENGTH = 255 - TOMBSTONE_SUFFIX.length();
    /** Every field a document needs, for checking that an existing collection is one of ours. */
    static final List<String> DOCUMENT_FIELDS = List.of(ID, EMBEDDING, CONTENT, METADATA, MODEL, CONTENT_HASH,
            SOURCE_LSN, SOURCE_TS, HAS_EMBEDDING);
    /**
     * Every field a tombstone collection needs to guard deletes. {@link #SOURCE_TS} (the delete's commit time, from
     * which its age counts) is not among them: tombstone collections created before tombstones were purged lack it,
     * still guard, and are never purged.
     */
    static final List<String> TOMBSTONE_FIELDS = List.of(ID, SOURCE_LSN, DUMMY_VECTOR);

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Most ids in one filter expression: the proxy parses it whole, and long expressions parse slowly. */
    static final int MAX_IDS_PER_FILTER = 2_000;
    static final int MAX_FILTER_CHARS = 1 << 20;
    /** Milvus 2.3 answers a query with at most this many rows (offset plus limit). */
    public static final int MAX_QUERY_LIMIT = 16_384;

    private MilvusSchema() {
    }

    /** @throws IllegalArgumentException when the name breaks Milvus's rules or leaves no room for the suffix */
    public static String requireCollection(String collection) {
        if (collection == null || !NAME.matcher(collection).matches()) {
            throw new IllegalArgumentException("collection '" + collection + "' is not a valid Milvus collection"
                    + " name: it must match [A-Za-z_][A-Za-z0-9_]*");
        }
        if (collection.length() > MAX_COLLECTION_LENGTH) {
            throw new IllegalArgumentException("collection '" + collection + "' is " + collection.length()
                    + " characters long but the milvus sink allows at most " + MAX_COLLECTION_LENGTH
                    + ", so that its tombstone collection '" + collection + TOMBSTONE_SUFFIX
                    + "' fits Milvus's 255-character limit");
        }
        return collection;
    }

    public static String tombstones(String collection) {
        return requireCollection(collection) + TOMBSTONE_SUFFIX;
    }

    /** A document collection: the primary key is the document id; the vector has {@code dimension} floats. */
    public static CollectionSchema documents(int dimension) {
        if (dimension < 1 || dimension > MAX_DIMENSION) {
            throw new IllegalArgumentException("dimension must be between 1 and " + MAX_DIMENSION + ", was "
                    + dimension);
        }
        CollectionSchema schema = CollectionSchema.builder().build();
        schema.setEnableDynamicField(false);
        schema.addField(varchar(ID, MAX_ID_BYTES, true));
        schema.addField(AddFieldReq.builder().fieldName(EMBEDDING).dataType(DataType.FloatVector)
                .dimension(dimension).build());
        schema.addField(varchar(CONTENT, MAX_CONTENT_BYTES, false));
        schema.addField(AddFieldReq.builder().fieldName(METADATA).dataType(DataType.JSON).build());
        schema.addField(varchar(MODEL, MAX_MODEL_BYTES, false));
        schema.addField(varchar(CONTENT_HASH, MAX_CONTENT_HASH_BYTES, false));
        schema.addField(AddFieldReq.builder().fieldName(SOURCE_LSN).dataType(DataType.Int64).build());
        // Epoch milliseconds of the source commit.
        schema.addField(AddFieldReq.builder().fieldName(SOURCE_TS).dataType(DataType.Int64).build());
        schema.addField(AddFieldReq.builder().fieldName(HAS_EMBEDDING).dataType(DataType.Bool).build());
        return schema;
    }

    /** A tombstone collection: id, the LSN of its latest delete and that delete's commit time (epoch ms). */
    public static CollectionSchema tombstones() {
        CollectionSchema schema = CollectionSchema.builder().build();
        schema.setEnableDynamicField(false);
        schema.addField(varchar(ID, MAX_ID_BYTES, true));
        schema.addField(AddFieldReq.builder().fieldName(SOURCE_LSN).dataType(DataType.Int64).build());
        schema.addField(AddFieldReq.builder().fieldName(SOURCE_TS).dataType(DataType.Int64).build());
        schema.addField(AddFieldReq.builder().fieldName(DUMMY_VECTOR).dataType(DataType.FloatVector)
                .dimension(DUMMY_DIMENSION).build());
        return schema;
    }

    /** The vector index of a document collection, cosine similarity as in every other sink. */
    public static IndexParam vectorIndex(MilvusSinkConfig config) {
        IndexParam.IndexParamBuilder index = IndexParam.builder().fieldName(EMBEDDING)
                .metricType(IndexParam.MetricType.COSINE);
        if (config.indexType() == MilvusSinkConfig.IndexType.HNSW) {
            return index.indexType(IndexParam.IndexType.HNSW)
                    .extraParams(Map.of("M", config.hnswM(), "efConstruction", config.hnswEfConstruction())).build();
        }
        return index.indexType(IndexParam.IndexType.FLAT).build();
    }

    /** The tombstone collection's index: never searched, only needed so the collection can be loaded. */
    public static IndexParam dummyIndex() {
        return IndexParam.builder().fieldName(DUMMY_VECTOR).indexType(IndexParam.IndexType.FLAT)
                .metricType(IndexParam.MetricType.L2).build();
    }

    /** The declared dimension of a vector field, or null when the schema has no such vector field. */
    public static Integer dimension(CollectionSchema schema, String field) {
        FieldSchema f = schema.getField(field);
        return f == null || f.getDataType() != DataType.FloatVector ? null : f.getDimension();
    }

    /** The names among {@code expected} that the schema lacks. */
    public static List<String> missingFields(CollectionSchema schema, List<String> expected) {
        List<String> missing = new ArrayList<>();
        for (String name : expected) {
            if (schema.getField(name) == null) {
                missing.add(name);
            }
        }
        return missing;
    }

    /** {@code id in ["a", "b"]} with every id quoted as a Milvus string literal. */
    public static String idIn(List<String> ids) {
        StringBuilder filter = new StringBuilder(ID).append(" in [");
        for (int i = 0; i < ids.size(); i++) {
            if (i > 0) {
                filter.append(',');
            }
            quote(ids.get(i), filter);
        }
        return filter.append(']').toString();
    }

    /**
     * Appends {@code value} as a double-quoted string literal of Milvus's expression grammar, whose escapes are C's:
     * quote and backslash escaped, control characters as {@code \\uXXXX}, everything else as is.
     */
    static void quote(String value, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Documents a truncate at {@code lsn} removes: {@code source_lsn < lsn}. */
    public static String olderThan(long lsn) {
        return SOURCE_LSN + " < " + lsn;
    }

    /** Tombstones a truncate at {@code lsn} makes needless: older than it, except the truncate watermark itself. */
    public static String tombstonesOlderThan(long lsn) {
        StringBuilder filter = new StringBuilder(olderThan(lsn)).append(" and ").append(ID).append(" != ");
        quote(BatchPlan.TRUNCATE_WATERMARK_ID, filter);
        return filter.toString();
    }

    /** Tombstones of deletes committed before {@code cutoffMs}, except the truncate watermark. */
    public static String tombstonesDeletedBefore(long cutoffMs) {
        StringBuilder filter = new StringBuilder(SOURCE_TS).append(" < ").append(cutoffMs).append(" and ")
                .append(ID).append(" != ");
        quote(BatchPlan.TRUNCATE_WATERMARK_ID, filter);
        return filter.toString();
    }

    /** {@code id > "after"} with the id quoted as a Milvus string literal. */
    public static String idAfter(String afterId) {
        StringBuilder filter = new StringBuilder(ID).append(" > ");
        quote(afterId, filter);
        return filter.toString();
    }

    /** Ids split into groups small enough for one filter expression each. */
    public static List<List<String>> idChunks(List<String> ids) {
        List<List<String>> chunks = new ArrayList<>();
        List<String> current = new ArrayList<>();
        long chars = 0;
        for (String id : ids) {
            // Quotes and comma; escapes make a few ids longer, well within the limit's slack.
            long size = id.length() + 3L;
            if (!current.isEmpty() && (current.size() >= MAX_IDS_PER_FILTER || chars + size > MAX_FILTER_CHARS)) {
                chunks.add(current);
                current = new ArrayList<>();
                chars = 0;
            }
            current.add(id);
            chars += size;
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }

    private static AddFieldReq varchar(String name, int maxBytes, boolean primaryKey) {
        AddFieldReq.AddFieldReqBuilder<?> field = AddFieldReq.builder().fieldName(name).dataType(DataType.VarChar)
                .maxLength(maxBytes);
        if (primaryKey) {
            field.isPrimaryKey(true).autoID(false);
        }
        return field.build();
    }
}
