package io.vectorsync.store.milvus;

import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.sink.api.BatchPlan.Write;
import io.vectorsync.sink.api.MetadataJson;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MilvusLsnGuardTest {

    @Test
    void upsertOfANewDocumentIsWritten() {
        MilvusLsnGuard guard = decide(List.of(upsert("a", 10)), Map.of(), Map.of());

        assertThat(guard.upserts()).extracting(MilvusLsnGuardTest::id).containsExactly("a");
        assertThat(guard.skipped()).isZero();
    }

    @Test
    void upsertOlderThanTheCollectionsLastTruncateIsSkippedAndANewerOneWritten() {
        MilvusLsnGuard guard = decide(List.of(upsert("before", 19), upsert("at", 20), upsert("after", 21)),
                Map.of(), Map.of(), 20);

        assertThat(guard.upserts()).extracting(MilvusLsnGuardTest::id).containsExactly("at", "after");
        assertThat(guard.skipped()).isEqualTo(1);
    }

    @Test
    void upsertIsWrittenOverAnOlderRowAndSkippedUnderANewerOne() {
        MilvusLsnGuard guard = decide(List.of(upsert("older-stored", 10), upsert("newer-stored", 10)),
                Map.of("older-stored", 9L, "newer-stored", 11L), Map.of());

        assertThat(guard.upserts()).extracting(MilvusLsnGuardTest::id).containsExactly("older-stored");
        assertThat(guard.skipped()).isEqualTo(1);
    }

    @Test
    void upsertWithTheStoredLsnIsLeftToTheComparison() {
        MilvusLsnGuard guard = decide(List.of(upsert("a", 10)), Map.of("a", 10L), Map.of());

        assertThat(guard.upserts()).isEmpty();
        assertThat(guard.equalLsn()).extracting(MilvusLsnGuardTest::id).containsExactly("a");
        assertThat(guard.skipped()).isZero();
    }

    @Test
    void upsertOlderThanATombstoneIsSkippedAndOneAtOrAfterItIsWritten() {
        MilvusLsnGuard guard = decide(List.of(upsert("older", 10), upsert("same", 20), upsert("newer", 30)), Map.of(),
                Map.of("older", 20L, "same", 20L, "newer", 20L));

        assertThat(guard.upserts()).extracting(MilvusLsnGuardTest::id).containsExactly("same", "newer");
        assertThat(guard.skipped()).isEqualTo(1);
        assertThat(MilvusLsnGuard.obsoleteTombstones(guard.upserts(), Map.of("same", 20L, "newer", 20L)))
                .containsExactly("same", "newer");
        assertThat(MilvusLsnGuard.obsoleteTombstones(guard.upserts(), Map.of())).isEmpty();
    }

    @Test
    void deleteOfAStoredRowRemovesItAndRecordsATombstone() {
        MilvusLsnGuard guard = decide(List.of(delete("a", 20), delete("same", 20)), Map.of("a", 10L, "same", 20L),
                Map.of());

        assertThat(guard.deletes()).extracting(MilvusLsnGuardTest::id).containsExactly("a", "same");
        assertThat(guard.rowDeletes()).containsExactly("a", "same");
        assertThat(guard.tombstones()).extracting(MilvusLsnGuardTest::id).containsExactly("a", "same");
        assertThat(guard.skipped()).isZero();
    }

    @Test
    void deleteOlderThanTheStoredRowIsSkipped() {
        MilvusLsnGuard guard = decide(List.of(delete("a", 15)), Map.of("a", 20L), Map.of());

        assertThat(guard.deletes()).isEmpty();
        assertThat(guard.tombstones()).isEmpty();
        assertThat(guard.skipped()).isEqualTo(1);
    }

    @Test
    void deleteOfADocumentNeverSeenOnlyRecordsATombstone() {
        MilvusLsnGuard guard = decide(List.of(delete("a", 5)), Map.of(), Map.of());

        assertThat(guard.deletes()).extracting(MilvusLsnGuardTest::id).containsExactly("a");
        assertThat(guard.rowDeletes()).isEmpty();
        assertThat(guard.tombstones()).extracting(MilvusLsnGuardTest::id).containsExactly("a");
    }

    @Test
    void replayedDeleteIsSkippedAndANewerOneMovesTheTombstone() {
        MilvusLsnGuard guard = decide(List.of(delete("replayed", 5), delete("older", 4), delete("newer", 6)),
                Map.of(), Map.of("replayed", 5L, "older", 5L, "newer", 5L));

        assertThat(guard.deletes()).extracting(MilvusLsnGuardTest::id).containsExactly("newer");
        assertThat(guard.tombstones()).extracting(MilvusLsnGuardTest::id).containsExactly("newer");
        assertThat(guard.skipped()).isEqualTo(2);
    }

    @Test
    void deleteOfARowLeftBehindANewerTombstoneRemovesTheRowAndKeepsTheTombstone() {
        // A batch that stopped after the tombstone and before the row delete, retried with an older delete.
        MilvusLsnGuard guard = decide(List.of(delete("a", 20)), Map.of("a", 10L), Map.of("a", 30L));

        assertThat(guard.deletes()).extracting(MilvusLsnGuardTest::id).containsExactly("a");
        assertThat(guard.rowDeletes()).containsExactly("a");
        assertThat(guard.tombstones()).isEmpty();
    }

    private static MilvusLsnGuard decide(List<EnrichedChange> changes, Map<String, Long> rows,
                                         Map<String, Long> tombstones) {
        return decide(changes, rows, tombstones, -1);
    }

    private static MilvusLsnGuard decide(List<EnrichedChange> changes, Map<String, Long> rows,
                                         Map<String, Long> tombstones, long truncated) {
        List<Write> writes = changes.stream().map(c -> new Write(c, c.isDelete() ? null
                : MetadataJson.write(c.metadata()))).toList();
        return MilvusLsnGuard.decide(writes, rows, tombstones, truncated);
    }

    private static EnrichedChange upsert(String id, long lsn) {
        return new EnrichedChange("docs", id, EnrichedChange.Kind.UPSERT, "t", Map.of(), new float[] {1f}, "m", "h",
                lsn, lsn);
    }

    private static EnrichedChange delete(String id, long lsn) {
        return EnrichedChange.delete("docs", id, lsn, lsn);
    }

    private static String id(Write w) {
        return w.change().id();
    }
}
