package io.vectorsync.sink.gate;

import io.vectorsync.core.Topics;
import io.vectorsync.core.mode.Backfill;
import io.vectorsync.core.mode.GateVerdict;
import io.vectorsync.core.mode.GateVerdict.Condition;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode;
import io.vectorsync.core.model.StorageMode.StoreRole;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReadinessGateTest {
    private static final GateConfig CONFIG = new GateConfig(100, Duration.ofSeconds(5));
    private static final Topics TOPICS = new Topics("pipe");
    private static final Backfill DONE = new Backfill("bf-1", StoreRole.TARGET, SinkName.MILVUS,
            Backfill.State.COMPLETED, 5000, 5000, 1_000, 9_000);
    private static final Condition BACKFILL_OK = new Condition("target backfill (milvus)", true,
            "backfill bf-1: 5000/5000 rows, COMPLETED", "COMPLETED");

    @Test
    void opensWhenTheTargetSinkHasCaughtUpAndItsBackfillCompleted() {
        GateVerdict verdict = gate(lag(100)).check(status(DONE));

        assertThat(verdict.open()).isTrue();
        assertThat(verdict.conditions()).containsExactly(
                new Condition("target consumer lag (milvus)", true, "100 records", "100 records"), BACKFILL_OK);
        assertThat(verdict.failures()).isEmpty();
    }

    @Test
    void refusesWhileTheTargetSinkIsBehindSayingByHowMuch() {
        GateVerdict verdict = gate(lag(1234)).check(status(DONE));

        assertThat(verdict.open()).isFalse();
        assertThat(verdict.conditions()).containsExactly(
                new Condition("target consumer lag (milvus)", false, "1234 records", "100 records"), BACKFILL_OK);
        assertThat(verdict.failures())
                .containsExactly("target consumer lag (milvus): 1234 records (limit 100 records)");
    }

    @Test
    void measuresTheTargetSinksGroupOnItsTopic() {
        List<String> asked = new ArrayList<>();
        ConsumerLag recording = (group, topic) -> {
            asked.add(group + " on " + topic);
            return 0;
        };

        gate(recording).check(status(DONE));

        assertThat(asked).containsExactly("pipe-sink-milvus on pipe.sink.milvus");
    }

    @Test
    void refusesWhenKafkaCannotTellTheLag() {
        ConsumerLag unreachable = (group, topic) -> {
            throw new LagUnknownException("Kafka did not answer within 5000 ms", null);
        };

        GateVerdict verdict = gate(unreachable).check(status(DONE));

        assertThat(verdict.open()).isFalse();
        assertThat(verdict.conditions().get(0)).isEqualTo(new Condition("target consumer lag (milvus)", false,
                "unknown: Kafka did not answer within 5000 ms", "100 records"));
    }

    @Test
    void refusesRatherThanThrowsWhenMeasuringFailsUnexpectedly() {
        ConsumerLag broken = (group, topic) -> {
            throw new IllegalStateException("admin client closed");
        };

        GateVerdict verdict = gate(broken).check(status(DONE));

        assertThat(verdict.conditions().get(0).value()).isEqualTo("unknown: admin client closed");
        assertThat(verdict.open()).isFalse();
    }

    @Test
    void refusesWithoutABackfillOnRecord() {
        GateVerdict verdict = gate(lag(0)).check(status(null));

        assertThat(verdict.open()).isFalse();
        assertThat(verdict.conditions().get(1)).isEqualTo(new Condition("target backfill (milvus)", false,
                "no backfill of the target has completed", "COMPLETED"));
    }

    @Test
    void aCompletedBackfillOfTheLegacyStoreDoesNotCount() {
        Backfill legacy = new Backfill("bf-2", StoreRole.LEGACY, SinkName.PGVECTOR, Backfill.State.COMPLETED, 10, 10,
                1, 2);

        GateVerdict verdict = gate(lag(0)).check(status(legacy));

        assertThat(verdict.failures()).containsExactly(
                "target backfill (milvus): no backfill of the target has completed (limit COMPLETED)");
    }

    @Test
    void refusesWhileTheTargetBackfillRunsOrAfterItWasAborted() {
        Backfill running = new Backfill("bf-3", StoreRole.TARGET, SinkName.MILVUS, Backfill.State.RUNNING, 1200, 5000,
                1, 0);
        Backfill aborted = new Backfill("bf-4", StoreRole.TARGET, SinkName.MILVUS, Backfill.State.ABORTED, 300, -1,
                1, 2);

        assertThat(gate(lag(0)).check(status(running)).failures()).containsExactly(
                "target backfill (milvus): backfill bf-3: 1200/5000 rows, RUNNING (limit COMPLETED)");
        assertThat(gate(lag(0)).check(status(aborted)).failures()).containsExactly(
                "target backfill (milvus): backfill bf-4: 300/? rows, ABORTED (limit COMPLETED)");
    }

    @Test
    void reportsEveryFailingConditionAtOnce() {
        GateVerdict strict = new ReadinessGate(new GateConfig(0, Duration.ofSeconds(1)), TOPICS, lag(1))
                .check(status(null));

        assertThat(strict.open()).isFalse();
        assertThat(strict.failures()).containsExactly(
                "target consumer lag (milvus): 1 record (limit 0 records)",
                "target backfill (milvus): no backfill of the target has completed (limit COMPLETED)");
    }

    private static ReadinessGate gate(ConsumerLag lag) {
        return new ReadinessGate(CONFIG, TOPICS, lag);
    }

    private static ConsumerLag lag(long records) {
        return (group, topic) -> records;
    }

    private static ModeStatus status(Backfill backfill) {
        return new ModeStatus("articles", StorageMode.SHADOW, 4, SinkName.PGVECTOR, SinkName.MILVUS, 10_000, "ana",
                "shadowing", false, backfill, null);
    }
}
