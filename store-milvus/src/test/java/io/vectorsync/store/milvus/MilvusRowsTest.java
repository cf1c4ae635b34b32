package io.vectorsync.store.milvus;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.sink.api.BatchPlan.Write;
import io.vectorsync.sink.api.MetadataJson;
import io.vectorsync.sink.api.StoredDocument;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MilvusRowsTest {
    private static final float[] VECTOR = {0.1f, -0.25f, 0.3333f};

    @Test
    void upsertBecomesARowWithEveryField() {
        JsonObject row = MilvusRows.document(write(upsert("1", "text", Map.of("k", "v"), VECTOR, 7)), 3);

        assertThat(row.get("id").getAsString()).isEqualTo("1");
        assertThat(row.getAsJsonArray("embedding").asList()).extracting(e -> e.getAsFloat())
                .containsExactly(0.1f, -0.25f, 0.3333f);
        assertThat(row.get("content").getAsString()).isEqualTo("text");
        assertThat(row.get("metadata")).isEqualTo(JsonParser.parseString("{\"k\":\"v\"}"));
        assertThat(row.get("model").getAsString()).isEqualTo("model-1");
        assertThat(row.get("content_hash").getAsString()).isEqualTo("hash-of-text");
        assertThat(row.get("source_lsn").getAsLong()).isEqualTo(7);
        assertThat(row.get("source_ts").getAsLong()).isEqualTo(1_007);
        assertThat(row.get("has_embedding").getAsBoolean()).isTrue();
    }

    @Test
    void blankTextGetsAZeroVectorFlaggedAsMissing() {
        JsonObject row = MilvusRows.document(write(upsert("1", "", Map.of(), null, 7)), 4);

        assertThat(row.getAsJsonArray("embedding").asList()).extracting(e -> e.getAsFloat())
                .containsExactly(0f, 0f, 0f, 0f);
        assertThat(row.get("has_embedding").getAsBoolean()).isFalse();
    }

    @Test
    void bigIntegersInMetadataKeepEveryDigit() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("big", 9_007_199_254_740_993L);
        metadata.put("nothing", null);
        JsonObject row = MilvusRows.document(write(upsert("1", "t", metadata, VECTOR, 1)), 3);

        assertThat(row.get("metadata").toString()).isEqualTo("{\"big\":9007199254740993,\"nothing\":null}");
    }

    @Test
    void storedRowReadsBackAsTheDocument() {
        Map<String, Object> metadata = Map.of("author", Map.of("tags", List.of("a", "b")), "n", 36);
        EnrichedChange change = upsert("ключ", "text", metadata, VECTOR, 9);

        StoredDocument doc = MilvusRows.stored(entity(change));

        assertThat(doc).isEqualTo(new StoredDocument("ключ", "text", metadata, VECTOR, "model-1", "hash-of-text", 9));
        assertThat(MilvusRows.lsn(entity(change))).isEqualTo(9);
    }

    @Test
    void rowWithoutEmbeddingReadsBackWithoutAVectorAndEmptyStringsAsNull() {
        EnrichedChange change = new EnrichedChange("docs", "1", EnrichedChange.Kind.UPSERT, "", Map.of(), null, null,
                null, 3, 1_003);
        Map<String, Object> entity = entity(change);
        entity.put("embedding", List.of(0f, 0f, 0f));

        StoredDocument doc = MilvusRows.stored(entity);

        assertThat(doc.embedding()).isNull();
        assertThat(doc.model()).isNull();
        assertThat(doc.contentHash()).isNull();
    }

    @Test
    void sameLsnIsTheSameOnlyWhenEveryStoredValueMatches() {
        EnrichedChange change = upsert("1", "text", Map.of("a", 1, "b", List.of(1, 2)), VECTOR, 5);
        Map<String, Object> stored = entity(change);

        assertThat(MilvusRows.sameAsStored(write(change), stored)).isTrue();
        // Key order in the stored JSON does not matter.
        stored.put("metadata", JsonParser.parseString("{\"b\":[1,2],\"a\":1}"));
        assertThat(MilvusRows.sameAsStored(write(change), stored)).isTrue();

        assertThat(MilvusRows.sameAsStored(write(upsert("1", "text", Map.of("a", 2, "b", List.of(1, 2)), VECTOR, 5)),
                stored)).isFalse();
        assertThat(MilvusRows.sameAsStored(write(upsert("1", "text", Map.of("a", 1, "b", List.of(1, 2)),
                new float[] {0.1f, -0.25f, 0.3334f}, 5)), stored)).isFalse();
        assertThat(MilvusRows.sameAsStored(write(upsert("1", "other", Map.of("a", 1, "b", List.of(1, 2)), VECTOR,
                5)), stored)).isFalse();
        Map<String, Object> otherTs = entity(change);
        otherTs.put("source_ts", 1L);
        assertThat(MilvusRows.sameAsStored(write(change), otherTs)).isFalse();
    }

    @Test
    void valuesAtTheLimitsAreAccepted() {
        assertThat(MilvusRows.rejection(write(upsert("1", "fine", Map.of(), VECTOR, 1)))).isNull();
        assertThat(MilvusRows.rejection(write(upsert("1", "é".repeat(32_767) + "a", Map.of(), null, 1))))
                .as("65535-byte content").isNull();
        assertThat(MilvusRows.rejection(write(EnrichedChange.delete("docs", "1", 1, 1)))).isNull();
    }

    @Test
    void rejectionNamesTheFieldItsSizeAndTheLimit() {
        assertThat(MilvusRows.rejection(write(upsert("1", "🚀".repeat(16_384), Map.of(), VECTOR, 1))))
                .isEqualTo("milvus cannot store change docs/1: its content is 65536 bytes (UTF-8) but collection"
                        + " 'docs' allows at most 65535");
        assertThat(MilvusRows.rejection(write(upsert("1", "t", Map.of("k", "v".repeat(65_530)), VECTOR, 1))))
                .isEqualTo("milvus cannot store change docs/1: its metadata is 65538 bytes (UTF-8) but collection"
                        + " 'docs' allows at most 65536");
    }

    @Test
    void everyIdBatchPlanAcceptsFitsTheKeyField() {
        String longest = "東".repeat(io.vectorsync.sink.api.BatchPlan.MAX_ID_LENGTH);

        assertThat(MilvusRows.utf8Length(longest)).isLessThanOrEqualTo(MilvusSchema.MAX_ID_BYTES);
        assertThat(MilvusSchema.documents(3).getField("id").getMaxLength()).isEqualTo(1536);
    }

    @Test
    void utf8LengthCountsBytesNotCharacters() {
        assertThat(MilvusRows.utf8Length("abc")).isEqualTo(3);
        assertThat(MilvusRows.utf8Length("é")).isEqualTo(2);
        assertThat(MilvusRows.utf8Length("東")).isEqualTo(3);
        assertThat(MilvusRows.utf8Length("🚀")).isEqualTo(4);
        assertThat(MilvusRows.utf8Length(null)).isZero();
        String mixed = "Grüße 東京 👩🏽‍💻";
        assertThat(MilvusRows.utf8Length(mixed)).isEqualTo(mixed.getBytes(java.nio.charset.StandardCharsets.UTF_8)
                .length);
    }

    @Test
    void requestsAreSplitByCountAndBySize() {
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sizes.add(100);
        }

        assertThat(MilvusRows.chunks(sizes, s -> s, 1_000, 4)).extracting(List::size).containsExactly(4, 4, 2);
        assertThat(MilvusRows.chunks(sizes, s -> s, 250, 100)).extracting(List::size).containsExactly(2, 2, 2, 2, 2);
        // A single item larger than the limit still goes, alone.
        assertThat(MilvusRows.chunks(List.of(10, 5_000, 10), s -> s, 1_000, 100)).extracting(List::size)
                .containsExactly(1, 1, 1);
        assertThat(MilvusRows.chunks(List.<Integer>of(), s -> s, 1_000, 100)).isEmpty();
    }

    @Test
    void tenThousand384DimensionalDocumentsGoInRequestsUnderTheLimit() {
        List<Write> writes = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            writes.add(write(upsert("doc-" + i, "text number " + i, Map.of("i", i), new float[384], i)));
        }

        List<List<Write>> chunks = MilvusRows.chunks(writes, w -> MilvusRows.requestBytes(w, 384),
                MilvusRows.MAX_REQUEST_BYTES, MilvusRows.MAX_ROWS_PER_REQUEST);

        assertThat(chunks).hasSize(5).allSatisfy(c -> assertThat(c.stream()
                .mapToLong(w -> MilvusRows.requestBytes(w, 384)).sum()).isLessThan(MilvusRows.MAX_REQUEST_BYTES));
    }

    @Test
    void tombstoneRowCarriesIdLsnCommitTimeAndTheDummyVector() {
        JsonObject row = MilvusRows.tombstone("x", 42, 1_000L);

        assertThat(row.toString()).isEqualTo("{\"id\":\"x\",\"source_lsn\":42,\"source_ts\":1000,"
                + "\"dummy_vector\":[0.0,0.0]}");
    }

    @Test
    void tombstoneRowOfACollectionMadeWithoutCommitTimesLeavesItOut() {
        JsonObject row = MilvusRows.tombstone("x", 42, null);

        assertThat(row.toString()).isEqualTo("{\"id\":\"x\",\"source_lsn\":42,\"dummy_vector\":[0.0,0.0]}");
    }

    private static EnrichedChange upsert(String id, String content, Map<String, Object> metadata, float[] vector,
                                         long lsn) {
        return new EnrichedChange("docs", id, EnrichedChange.Kind.UPSERT, content, metadata, vector, "model-1",
                content.length() > 64 ? "long-hash" : "hash-of-" + content, lsn, 1_000 + lsn);
    }

    private static Write write(EnrichedChange change) {
        return new Write(change, change.isDelete() ? null : MetadataJson.write(change.metadata()));
    }

    /** What the SDK hands back for a stored row: gson JSON, vectors as lists of floats. */
    private static Map<String, Object> entity(EnrichedChange change) {
        Map<String, Object> e = new HashMap<>();
        e.put("id", change.id());
        e.put("content", change.content());
        e.put("metadata", JsonParser.parseString(MetadataJson.write(change.metadata())));
        List<Float> vector = new ArrayList<>();
        if (change.embedding() != null) {
            for (float f : change.embedding()) {
                vector.add(f);
            }
        }
        e.put("embedding", vector);
        e.put("model", change.model() == null ? "" : change.model());
        e.put("content_hash", change.contentHash() == null ? "" : change.contentHash());
        e.put("source_lsn", change.lsn());
        e.put("source_ts", change.sourceTsMs());
        e.put("has_embedding", change.embedding() != null);
        return e;
    }
}
