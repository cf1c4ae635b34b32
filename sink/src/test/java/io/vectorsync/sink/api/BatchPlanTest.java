package io.vectorsync.sink.api;

import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.ApplyResult.Rejected;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class BatchPlanTest {
    private static final Set<String> PREPARED = Set.of("articles");

    @Test
    void lastChangeOfEachDocumentIsKeptInFirstSeenOrder() {
        EnrichedChange a1 = upsert("articles", "a", 1, 2);
        EnrichedChange b1 = upsert("articles", "b", 2, 2);
        EnrichedChange a3 = EnrichedChange.delete("articles", "a", 3, 0);
        EnrichedChange a2 = upsert("articles", "a", 2, 2);

        BatchPlan plan = BatchPlan.of(SinkName.PGVECTOR, List.of(a1, b1, a3, a2), PREPARED, 2);

        assertThat(plan.writes()).extracting(BatchPlan.Write::change).containsExactly(a3, b1);
        assertThat(plan.superseded()).isEqualTo(2);
        assertThat(plan.rejected()).isEmpty();
    }

    @Test
    void aTruncateIsKeptApartAndDropsTheOlderWritesOfItsCollectionOnly() {
        EnrichedChange before = upsert("articles", "a", 1, 2);
        EnrichedChange after = upsert("articles", "b", 7, 2);
        EnrichedChange other = upsert("films", "c", 2, 2);
        EnrichedChange truncate = EnrichedChange.truncate("articles", 5, 0);

        BatchPlan plan = BatchPlan.of(SinkName.PGVECTOR, List.of(before, truncate, after, other),
                Set.of("articles", "films"), 2);

        assertThat(plan.truncates()).containsExactly(truncate);
        assertThat(plan.writes()).extracting(BatchPlan.Write::change).containsExactly(after, other);
        assertThat(plan.superseded()).isEqualTo(1);
    }

    @Test
    void ofSeveralTruncatesOfACollectionTheNewestIsKept() {
        EnrichedChange older = EnrichedChange.truncate("articles", 5, 0);
        EnrichedChange newer = EnrichedChange.truncate("articles", 9, 0);
        EnrichedChange between = upsert("articles", "a", 7, 2);

        BatchPlan plan = BatchPlan.of(SinkName.PGVECTOR, List.of(older, between, newer), PREPARED, 2);

        assertThat(plan.truncates()).containsExactly(newer);
        assertThat(plan.writes()).isEmpty();
        assertThat(plan.superseded()).isEqualTo(2);
    }

    @Test
    void aTruncateOfAnUnpreparedCollectionIsRejected() {
        EnrichedChange truncate = EnrichedChange.truncate("films", 5, 0);

        BatchPlan plan = BatchPlan.of(SinkName.PGVECTOR, List.of(truncate), PREPARED, 2);

        assertThat(plan.truncates()).isEmpty();
        assertThat(plan.rejected()).extracting(Rejected::change).containsExactly(truncate);
    }

    @Test
    void theTruncateWatermarkIdIsLongerThanAnyDocumentId() {
        assertThat(BatchPlan.TRUNCATE_WATERMARK_ID.length()).isGreaterThan(BatchPlan.MAX_ID_LENGTH);
    }

    @Test
    void onEqualLsnTheLaterChangeInTheBatchWins() {
        EnrichedChange first = upsert("articles", "a", 5, 2);
        EnrichedChange second = EnrichedChange.delete("articles", "a", 5, 0);

        BatchPlan plan = BatchPlan.of(SinkName.PGVECTOR, List.of(first, second), PREPARED, 2);

        assertThat(plan.writes()).extracting(BatchPlan.Write::change).containsExactly(second);
    }

    @Test
    void wrongDimensionAndUnpreparedCollectionAreRejectedWithReasons() {
        EnrichedChange wrong = upsert("articles", "42", 1, 3);
        EnrichedChange unknown = upsert("films", "7", 1, 384);
        EnrichedChange good = upsert("articles", "43", 1, 384);

        BatchPlan plan = BatchPlan.of(SinkName.PGVECTOR, List.of(wrong, unknown, good), PREPARED, 384);

        assertThat(plan.rejected()).containsExactly(
                new Rejected(wrong, "collection 'articles' expects 384-dimensional vectors but change articles/42"
                        + " carries 3"),
                new Rejected(unknown, "collection 'films' was not prepared in the pgvector sink"));
        assertThat(plan.writes()).extracting(BatchPlan.Write::change).containsExactly(good);
        assertThat(plan.superseded()).isZero();
    }

    @Test
    void metadataIsWrittenAsJsonForUpsertsOnly() {
        EnrichedChange up = upsert("articles", "a", 1, 2);
        EnrichedChange del = EnrichedChange.delete("articles", "b", 1, 0);

        BatchPlan plan = BatchPlan.of(SinkName.PGVECTOR, List.of(up, del), PREPARED, 2);

        assertThat(plan.writes()).extracting(BatchPlan.Write::metadataJson).containsExactly("{\"k\":\"v\"}", null);
    }

    @Test
    void nulIsFoundInNestedMetadataButAnEscapedBackslashBeforeU0000IsNotANul() {
        EnrichedChange nested = withMetadata("nul", Map.of("a", List.of(Map.of("b", "x\0y"))));
        EnrichedChange inKey = withMetadata("key", Map.of("k\0", 1));
        EnrichedChange literal = withMetadata("literal", Map.of("path", "C:\\u0000\\file"));

        BatchPlan plan = BatchPlan.of(SinkName.PGVECTOR, List.of(nested, inKey, literal), PREPARED, 2);

        assertThat(plan.rejected()).extracting(Rejected::change).containsExactly(nested, inKey);
        assertThat(plan.rejected()).extracting(Rejected::reason).containsExactly(
                "change articles/nul holds a NUL character in its metadata, which PostgreSQL cannot store",
                "change articles/key holds a NUL character in its metadata, which PostgreSQL cannot store");
        assertThat(plan.writes()).extracting(BatchPlan.Write::change).containsExactly(literal);
    }

    private static EnrichedChange withMetadata(String id, Map<String, Object> metadata) {
        return new EnrichedChange("articles", id, EnrichedChange.Kind.UPSERT, "text", metadata, new float[2], "m",
                "h", 1, 0);
    }

    private static EnrichedChange upsert(String collection, String id, long lsn, int dims) {
        return new EnrichedChange(collection, id, EnrichedChange.Kind.UPSERT, "text", Map.of("k", "v"),
                new float[dims], "m", "h", lsn, 0);
    }
}
