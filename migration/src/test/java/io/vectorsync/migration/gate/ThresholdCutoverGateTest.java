package io.vectorsync.migration.gate;

import io.vectorsync.core.Topics;
import io.vectorsync.core.kafka.RetentionGap;
import io.vectorsync.core.kafka.ConsumerLag;
import io.vectorsync.core.kafka.LagUnknownException;
import io.vectorsync.core.mode.Backfill;
import io.vectorsync.core.mode.GateVerdict.Condition;
import io.vectorsync.core.mode.GateVerdict;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode.StoreRole;
import io.vectorsync.core.model.StorageMode;
import io.vectorsync.core.validation.ValidationResult;
import io.vectorsync.migration.lag.LagSnapshot;
import io.vectorsync.migration.lag.LagState;
import io.vectorsync.migration.lag.LagView;
import io.vectorsync.migration.lag.LagWindowStats;
import io.vectorsync.migration.shadow.ShadowSummary;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ThresholdCutoverGateTest {
    private static final long NOW = 10_000_000;
    private static final GateConfig CONFIG = new GateConfig(100, Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(60), 1024 * 1024, Duration.ofMinutes(60), 1.0, 0.8, 10);
    private static final Topics TOPICS = new Topics("pipe");
    private static final Backfill DONE = new Backfill("bf-1", StoreRole.TARGET, SinkName.MILVUS,
            Backfill.State.COMPLETED, 5000, 5000, 1_000, 9_000);
    private static final ValidationResult CLEAN = new ValidationResult("run-1", "articles", SinkName.MILVUS, true,
            5000, 5000, 0, 0, 0, 0, NOW - 120_000);

    private ConsumerLag consumerLag = lag(100);
    private LagWindowStats window = new LagWindowStats(60_000, 60, 59_000, 400, 2_000, 2_500);
    private LagSnapshot latest = snapshot(4096, null);
    private ValidationResults validations = results(CLEAN);
    private ShadowSummary shadow = shadow(50, 0.9);
    private RetentionGaps gaps = RetentionGaps.none();
    /** The lag monitor's oldest sample; a minute and a half ago unless a test says otherwise. */
    private long measuredSinceMs = NOW - 90_000;

    @Test
    void opensWhenEveryConditionHoldsAndNamesThemAll() {
        GateVerdict verdict = check(DONE);

        assertThat(verdict.open()).isTrue();
        assertThat(verdict.conditions()).containsExactly(
                new Condition("target end-to-end lag p99 (milvus)", true, "p99 2.0 s over 59.0 s (60 samples)",
                        "p99 10.0 s over 60.0 s"),
                new Condition("target consumer lag (milvus)", true, "100 records", "100 records"),
                new Condition("source slot lag", true, "4.0 KiB", "1.0 MiB"),
                new Condition("target validation (milvus)", true,
                        "match 100.00% of 5000 rows (full, run run-1) 2.0 min ago", "match 100.00% within 60.0 min"),
                new Condition("shadow agreement (milvus)", true, "overlap 0.90 over 50 comparisons",
                        "overlap 0.80 over 10 comparisons"),
                new Condition("target backfill (milvus)", true, "backfill bf-1: 5000/5000 rows, COMPLETED",
                        "COMPLETED"),
                new Condition("target retention (milvus)", true, "no change expired unread",
                        "no change expired unread, or a backfill or full match since"));
    }

    @Test
    void refusesWhileChangesOfTheTargetsTopicExpiredUnreadSinceItsLastBackfillAndValidation() {
        RetentionGap gap = new RetentionGap("articles", SinkName.MILVUS, "pipe.sink.milvus", 1, 40, 52, NOW - 1_000);
        RetentionGap legacy = new RetentionGap("articles", SinkName.PGVECTOR, "pipe.sink.pgvector", 0, 1, 2,
                NOW - 1_000);
        gaps = () -> List.of(gap, legacy);

        assertThat(check(DONE).failures()).containsExactly("target retention (milvus): collection articles needs a"
                + " backfill into milvus: 12 records of pipe.sink.milvus partition 1 (offsets 40 to 51) expired before"
                + " its sink read them (detected 1970-01-01T02:46:39Z) (limit no change expired unread, or a"
                + " backfill or full match since)");
    }

    @Test
    void aGapOlderThanTheCompletedBackfillNoLongerRefuses() {
        gaps = () -> List.of(new RetentionGap("articles", SinkName.MILVUS, "pipe.sink.milvus", 1, 40, 52, 999));

        assertThat(check(DONE).open()).isTrue();
    }

    @Test
    void refusesWhileTheEndToEndLagP99IsOverItsThresholdSayingHowHigh() {
        window = new LagWindowStats(60_000, 60, 59_000, 9_000, 12_345, 14_000);

        assertThat(check(DONE).failures()).containsExactly(
                "target end-to-end lag p99 (milvus): p99 12.3 s over 59.0 s (60 samples) (limit p99 10.0 s over 60.0 s)");
    }

    @Test
    void refusesUntilTheMonitorHasMeasuredForTheWholeWindow() {
        window = new LagWindowStats(60_000, 12, 11_000, 100, 200, 200);
        measuredSinceMs = NOW - 11_500;

        assertThat(check(DONE).failures()).containsExactly("target end-to-end lag p99 (milvus): p99 200 ms over"
                + " 11.0 s (12 samples), measured for only 11.5 s of 60.0 s (limit p99 10.0 s over 60.0 s)");

        measuredSinceMs = NOW - 60_000;
        assertThat(check(DONE).open()).isTrue();
    }

    @Test
    void refusesWithoutLagSamplesGivingTheMonitorsReason() {
        window = LagWindowStats.empty(60_000);
        latest = new LagSnapshot(SinkName.MILVUS, NOW, LagState.UNKNOWN, -1, -1, -1, 0, "Kafka did not answer");

        assertThat(check(DONE).failures()).contains("target end-to-end lag p99 (milvus): no lag samples: Kafka did"
                + " not answer (limit p99 10.0 s over 60.0 s)");
    }

    @Test
    void refusesWhileTheTargetSinkIsBehindSayingByHowMuch() {
        consumerLag = lag(1234);

        assertThat(check(DONE).failures())
                .containsExactly("target consumer lag (milvus): 1234 records (limit 100 records)");
    }

    @Test
    void measuresTheTargetSinksGroupOnItsTopic() {
        List<String> asked = new ArrayList<>();
        consumerLag = (group, topic) -> {
            asked.add(group + " on " + topic);
            return 0;
        };

        check(DONE);

        assertThat(asked).containsExactly("pipe-sink-milvus on pipe.sink.milvus");
    }

    @Test
    void refusesWhenKafkaCannotTellTheConsumerLag() {
        consumerLag = (group, topic) -> {
            throw new LagUnknownException("Kafka did not answer within 5000 ms", null);
        };

        assertThat(check(DONE).failures()).containsExactly("target consumer lag (milvus): unknown: Kafka did not"
                + " answer within 5000 ms (limit 100 records)");
    }

    @Test
    void refusesRatherThanThrowsWhenMeasuringFailsUnexpectedly() {
        consumerLag = (group, topic) -> {
            throw new IllegalStateException("admin client closed");
        };

        GateVerdict verdict = check(DONE);

        assertThat(verdict.conditions().get(1).value()).isEqualTo("unknown: admin client closed");
        assertThat(verdict.open()).isFalse();
    }

    @Test
    void refusesWhileTheSlotIsTooFarBehindOrCannotBeMeasured() {
        latest = snapshot(5L * 1024 * 1024, null);
        assertThat(check(DONE).failures()).containsExactly("source slot lag: 5.0 MiB (limit 1.0 MiB)");

        latest = snapshot(-1, "replication slot 'vs' does not exist on 127.0.0.1:5432/app");
        assertThat(check(DONE).failures()).containsExactly("source slot lag: unknown: replication slot 'vs' does not"
                + " exist on 127.0.0.1:5432/app (limit 1.0 MiB)");
    }

    @Test
    void refusesWithoutAValidationOfTheTarget() {
        validations = ValidationResults.none();

        assertThat(check(DONE).failures()).containsExactly("target validation (milvus): no validation of the"
                + " target has finished (limit match 100.00% within 60.0 min)");
    }

    @Test
    void refusesAValidationBelowTheMatchRateOrTooOld() {
        validations = results(new ValidationResult("run-2", "articles", SinkName.MILVUS, true, 10_000, 9_999, 1, 0,
                0, 0, NOW - 1_000));
        assertThat(check(DONE).failures()).containsExactly("target validation (milvus): match 99.99% of 10000 rows"
                + " (full, run run-2) 1.0 s ago (limit match 100.00% within 60.0 min)");

        validations = results(new ValidationResult("run-3", "articles", SinkName.MILVUS, false, 100, 100, 0, 0, 0,
                0, NOW - 2 * 3_600_000));
        assertThat(check(DONE).failures()).containsExactly("target validation (milvus): match 100.00% of 100 rows"
                + " (sample, run run-3) 120.0 min ago (limit match 100.00% within 60.0 min)");
    }

    @Test
    void aValidationOfTheLegacyStoreDoesNotCount() {
        validations = results(new ValidationResult("run-4", "articles", SinkName.PGVECTOR, true, 10, 10, 0, 0, 0, 0,
                NOW));

        assertThat(check(DONE).failures()).singleElement().asString().startsWith("target validation (milvus): no");
    }

    @Test
    void refusesWhenShadowReadsDisagreeOrAreTooFew() {
        shadow = shadow(50, 0.42);
        assertThat(check(DONE).failures()).containsExactly("shadow agreement (milvus): overlap 0.42 over 50"
                + " comparisons (limit overlap 0.80 over 10 comparisons)");

        shadow = shadow(3, 1.0);
        assertThat(check(DONE).failures()).containsExactly("shadow agreement (milvus): overlap 1.00 over 3"
                + " comparisons (limit overlap 0.80 over 10 comparisons)");

        shadow = shadow(0, 0);
        assertThat(check(DONE).failures()).containsExactly("shadow agreement (milvus): no shadow comparisons"
                + " (limit overlap 0.80 over 10 comparisons)");
    }

    @Test
    void noShadowConditionWhenItIsTurnedOff() {
        shadow = shadow(0, 0);
        GateConfig off = new GateConfig(100, Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(60),
                1024 * 1024, Duration.ofMinutes(60), 1.0, 0.8, 0);

        GateVerdict verdict = gate(off).check(status(DONE));

        assertThat(verdict.open()).isTrue();
        assertThat(verdict.conditions()).extracting(Condition::name).doesNotContain("shadow agreement (milvus)");
    }

    @Test
    void refusesWithoutACompletedBackfillOfTheTarget() {
        Backfill legacy = new Backfill("bf-2", StoreRole.LEGACY, SinkName.PGVECTOR, Backfill.State.COMPLETED, 10, 10,
                1, 2);
        Backfill running = new Backfill("bf-3", StoreRole.TARGET, SinkName.MILVUS, Backfill.State.RUNNING, 1200, 5000,
                1, 0);
        Backfill aborted = new Backfill("bf-4", StoreRole.TARGET, SinkName.MILVUS, Backfill.State.ABORTED, 300, -1,
                1, 2);

        assertThat(check(null).failures()).containsExactly(
                "target backfill (milvus): no backfill of the target has completed (limit COMPLETED)");
        assertThat(check(legacy).failures()).containsExactly(
                "target backfill (milvus): no backfill of the target has completed (limit COMPLETED)");
        assertThat(check(running).failures()).containsExactly(
                "target backfill (milvus): backfill bf-3: 1200/5000 rows, RUNNING (limit COMPLETED)");
        assertThat(check(aborted).failures()).containsExactly(
                "target backfill (milvus): backfill bf-4: 300/? rows, ABORTED (limit COMPLETED)");
    }

    @Test
    void theLegacyGateAsksTheSameOfTheRefilledLegacyStoreWithAValidationAfterItsBackfill() {
        // The fakes measure milvus: here it is the legacy store, refilled after TARGET_ONLY.
        Backfill refill = new Backfill("bf-9", StoreRole.LEGACY, SinkName.MILVUS, Backfill.State.COMPLETED, 5000,
                5000, 1_000, NOW - 60_000);
        ModeStatus back = new ModeStatus("articles", StorageMode.CUTOVER, 9, SinkName.MILVUS, SinkName.PGVECTOR,
                10_000, "ana", "roll back", false, refill, null);

        GateVerdict before = gate(CONFIG).checkLegacy(back);

        assertThat(before.conditions()).extracting(Condition::name).containsExactly(
                "legacy end-to-end lag p99 (milvus)", "legacy consumer lag (milvus)", "source slot lag",
                "legacy validation (milvus)", "legacy backfill (milvus)", "legacy retention (milvus)");
        assertThat(before.failures()).containsExactly("legacy validation (milvus): match 100.00% of 5000 rows (full,"
                + " run run-1) 2.0 min ago, before its backfill finished (limit match 100.00% within 60.0 min,"
                + " finished after its backfill)");

        validations = results(new ValidationResult("run-2", "articles", SinkName.MILVUS, true, 5000, 5000, 0, 0, 0,
                0, NOW - 30_000));
        assertThat(gate(CONFIG).checkLegacy(back).open()).isTrue();

        Backfill running = new Backfill("bf-9", StoreRole.LEGACY, SinkName.MILVUS, Backfill.State.RUNNING, 100,
                5000, 1_000, 0);
        ModeStatus refilling = new ModeStatus("articles", StorageMode.CUTOVER, 9, SinkName.MILVUS, SinkName.PGVECTOR,
                10_000, "ana", "roll back", false, running, null);
        assertThat(gate(CONFIG).checkLegacy(refilling).failures()).containsExactly(
                "legacy validation (milvus): match 100.00% of 5000 rows (full, run run-2) 30.0 s ago, before its"
                        + " backfill finished (limit match 100.00% within 60.0 min, finished after its backfill)",
                "legacy backfill (milvus): backfill bf-9: 100/5000 rows, RUNNING (limit COMPLETED)");
    }

    @Test
    void reportsEveryFailingConditionAtOnce() {
        consumerLag = lag(1);
        window = LagWindowStats.empty(60_000);
        latest = null;
        validations = ValidationResults.none();
        shadow = null;
        GateConfig strict = new GateConfig(0, Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(60),
                1024, Duration.ofMinutes(60), 1.0, 0.8, 10);

        GateVerdict verdict = gate(strict).check(status(null));

        assertThat(verdict.open()).isFalse();
        assertThat(verdict.failures()).containsExactly(
                "target end-to-end lag p99 (milvus): no lag samples yet (limit p99 10.0 s over 60.0 s)",
                "target consumer lag (milvus): 1 record (limit 0 records)",
                "source slot lag: not measured yet (limit 1.0 KiB)",
                "target validation (milvus): no validation of the target has finished (limit match 100.00% within"
                        + " 60.0 min)",
                "shadow agreement (milvus): no shadow comparisons (limit overlap 0.80 over 10 comparisons)",
                "target backfill (milvus): no backfill of the target has completed (limit COMPLETED)");
    }

    private GateVerdict check(Backfill backfill) {
        return gate(CONFIG).check(status(backfill));
    }

    private ThresholdCutoverGate gate(GateConfig config) {
        LagView view = new LagView() {
            @Override
            public Optional<LagSnapshot> latest(SinkName sink) {
                return sink == SinkName.MILVUS ? Optional.ofNullable(latest) : Optional.empty();
            }

            @Override
            public List<LagSnapshot> history(SinkName sink) {
                return sink == SinkName.MILVUS && latest != null ? List.of(new LagSnapshot(SinkName.MILVUS,
                        measuredSinceMs, LagState.ACTIVE, 900, 0, 0, 0, null), latest) : List.of();
            }

            @Override
            public LagWindowStats window(SinkName sink, Duration d) {
                assertThat(d).isEqualTo(config.lagWindow());
                return sink == SinkName.MILVUS ? window : LagWindowStats.empty(d.toMillis());
            }
        };
        return new ThresholdCutoverGate(config, TOPICS, consumerLag, view, validations,
                collection -> "articles".equals(collection) ? shadow : null, () -> NOW, gaps);
    }

    private static ConsumerLag lag(long records) {
        return (group, topic) -> records;
    }

    private static LagSnapshot snapshot(long slotBytes, String problem) {
        return new LagSnapshot(SinkName.MILVUS, NOW, LagState.ACTIVE, 800, 3, slotBytes, 120.0, problem);
    }

    private static ValidationResults results(ValidationResult result) {
        return new ValidationResults() {
            @Override
            public Optional<ValidationResult> latest(String collection, SinkName store) {
                return result.collection().equals(collection) && result.store() == store ? Optional.of(result)
                        : Optional.empty();
            }

            @Override
            public Map<String, ValidationResult> all() {
                return Map.of(result.key(), result);
            }
        };
    }

    private static ShadowSummary shadow(int count, double overlap) {
        return new ShadowSummary("articles", count, overlap, overlap, 0.0, Duration.ZERO, Duration.ZERO,
                Duration.ZERO, Duration.ZERO, NOW);
    }

    private static ModeStatus status(Backfill backfill) {
        return new ModeStatus("articles", StorageMode.SHADOW, 4, SinkName.PGVECTOR, SinkName.MILVUS, 10_000, "ana",
                "shadowing", false, backfill, null);
    }
}
