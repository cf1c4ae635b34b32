package io.vectorsync.migration.gate;

import io.vectorsync.core.kafka.RetentionGap;
import io.vectorsync.core.mode.Backfill;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.model.StorageMode.StoreRole;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode;
import io.vectorsync.core.validation.ValidationResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class BackfillNeedsTest {
    private static final RetentionGap GAP = new RetentionGap("articles", SinkName.MILVUS, "pipe.sink.milvus", 0, 10,
            15, 5_000);

    @Test
    void aGapStandsWithoutABackfillOrValidationSinceItsDetection() {
        assertThat(BackfillNeeds.resolved(GAP, Optional.empty(), Optional.empty())).isFalse();
        assertThat(BackfillNeeds.resolved(GAP, status(backfill(SinkName.MILVUS, Backfill.State.COMPLETED, 4_999)),
                Optional.of(validation(100, 100, 4_999)))).isFalse();
    }

    @Test
    void aCompletedBackfillIntoThatStoreStartedAfterTheDetectionMakesItGood() {
        assertThat(BackfillNeeds.resolved(GAP, status(backfill(SinkName.MILVUS, Backfill.State.COMPLETED, 5_000)),
                Optional.empty())).isTrue();
        assertThat(BackfillNeeds.resolved(GAP, status(backfill(SinkName.MILVUS, Backfill.State.RUNNING, 6_000)),
                Optional.empty())).isFalse();
        assertThat(BackfillNeeds.resolved(GAP, status(backfill(SinkName.PGVECTOR, Backfill.State.COMPLETED, 6_000)),
                Optional.empty())).isFalse();
    }

    @Test
    void aFullValidationMatchingEveryRowAfterTheDetectionMakesItGoodAndNothingLessDoes() {
        assertThat(BackfillNeeds.resolved(GAP, Optional.empty(), Optional.of(validation(100, 100, 6_000)))).isTrue();
        assertThat(BackfillNeeds.resolved(GAP, Optional.empty(), Optional.of(validation(100, 99, 6_000)))).isFalse();
        assertThat(BackfillNeeds.resolved(GAP, Optional.empty(), Optional.of(validation(0, 0, 6_000)))).isFalse();
        ValidationResult sample = new ValidationResult("run", "articles", SinkName.MILVUS, false, 100, 100, 0, 0, 0,
                0, 6_000);
        assertThat(BackfillNeeds.resolved(GAP, Optional.empty(), Optional.of(sample))).isFalse();
    }

    @Test
    void unresolvedKeepsOnlyTheGapsStillStanding() {
        RetentionGap other = new RetentionGap("notes", SinkName.MILVUS, "pipe.sink.milvus", 0, 10, 15, 5_000);
        ValidationResults validations = new ValidationResults() {
            @Override
            public Optional<ValidationResult> latest(String collection, SinkName store) {
                return collection.equals("notes") ? Optional.of(new ValidationResult("run", "notes", store, true, 5,
                        5, 0, 0, 0, 0, 6_000)) : Optional.empty();
            }

            @Override
            public java.util.Map<String, ValidationResult> all() {
                return java.util.Map.of();
            }
        };
        assertThat(BackfillNeeds.unresolved(List.of(GAP, other), c -> Optional.empty(), validations))
                .containsExactly(GAP);
        assertThat(GAP.lost()).isEqualTo(5);
        assertThat(GAP.describe()).isEqualTo("collection articles needs a backfill into milvus: 5 records of"
                + " pipe.sink.milvus partition 0 (offsets 10 to 14) expired before its sink read them (detected"
                + " 1970-01-01T00:00:05Z)");
    }

    private static Backfill backfill(SinkName sink, Backfill.State state, long startedAtMs) {
        return new Backfill("bf", StoreRole.TARGET, sink, state, 10, 10, startedAtMs, startedAtMs + 100);
    }

    private static Optional<ModeStatus> status(Backfill backfill) {
        return Optional.of(new ModeStatus("articles", StorageMode.SHADOW, 3, SinkName.PGVECTOR, SinkName.MILVUS, 1,
                "ana", null, false, backfill, null));
    }

    private static ValidationResult validation(long checked, long matched, long finishedAtMs) {
        return new ValidationResult("run", "articles", SinkName.MILVUS, true, checked, matched, checked - matched, 0,
                0, 0, finishedAtMs);
    }
}
