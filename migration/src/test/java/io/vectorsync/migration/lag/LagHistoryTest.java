package io.vectorsync.migration.lag;

import io.vectorsync.core.model.SinkName;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class LagHistoryTest {
    private final LagHistory history = new LagHistory(Duration.ofSeconds(600));

    @Test
    void windowGivesNearestRankQuantilesAndTheMaximumOfTheLags() {
        // Lags 100 down to 1, one per second, so that the order of arrival is not the order of size.
        for (int i = 0; i < 100; i++) {
            history.add(sample(SinkName.PGVECTOR, 1_000 + i * 1_000L, 100 - i));
        }

        assertThat(history.window(SinkName.PGVECTOR, Duration.ofSeconds(100), 100_000))
                .isEqualTo(new LagWindowStats(100_000, 100, 99_000, 50, 99, 100));
    }

    @Test
    void fewSamplesTakeTheRankAtOrAboveTheQuantile() {
        history.add(sample(SinkName.PGVECTOR, 1_000, 20));
        history.add(sample(SinkName.PGVECTOR, 2_000, 10));

        assertThat(history.window(SinkName.PGVECTOR, Duration.ofSeconds(60), 2_000))
                .isEqualTo(new LagWindowStats(60_000, 2, 1_000, 10, 20, 20));
    }

    @Test
    void oneSampleIsEveryQuantileAndCoversNoTime() {
        history.add(sample(SinkName.NEO4J, 5_000, 42));

        assertThat(history.window(SinkName.NEO4J, Duration.ofSeconds(60), 5_000))
                .isEqualTo(new LagWindowStats(60_000, 1, 0, 42, 42, 42));
    }

    @Test
    void samplesOfUnknownLagAreLeftOutOfTheWindow() {
        history.add(sample(SinkName.PGVECTOR, 1_000, 5));
        history.add(sample(SinkName.PGVECTOR, 2_000, -1));
        history.add(sample(SinkName.PGVECTOR, 3_000, 7));
        history.add(sample(SinkName.PGVECTOR, 4_000, -1));

        assertThat(history.window(SinkName.PGVECTOR, Duration.ofSeconds(60), 4_000))
                .isEqualTo(new LagWindowStats(60_000, 2, 2_000, 5, 7, 7));
    }

    @Test
    void theWindowHoldsTheSamplesFromNowMinusItsLengthToNowBothIncluded() {
        history.add(sample(SinkName.PGVECTOR, 9_999, 1_000));
        history.add(sample(SinkName.PGVECTOR, 10_000, 1));
        history.add(sample(SinkName.PGVECTOR, 15_000, 2));
        history.add(sample(SinkName.PGVECTOR, 20_000, 3));
        history.add(sample(SinkName.PGVECTOR, 20_001, 2_000));

        assertThat(history.window(SinkName.PGVECTOR, Duration.ofSeconds(10), 20_000))
                .isEqualTo(new LagWindowStats(10_000, 3, 10_000, 2, 3, 3));
    }

    @Test
    void aWindowWithNoKnownLagIsEmpty() {
        history.add(sample(SinkName.PGVECTOR, 1_000, -1));

        assertThat(history.window(SinkName.PGVECTOR, Duration.ofSeconds(60), 1_000))
                .isEqualTo(LagWindowStats.empty(60_000));
        assertThat(history.window(SinkName.PGVECTOR, Duration.ofSeconds(60), 1_000_000))
                .isEqualTo(LagWindowStats.empty(60_000));
    }

    @Test
    void samplesOlderThanTheHistoryBeforeTheNewestAreDropped() {
        LagHistory short10s = new LagHistory(Duration.ofSeconds(10));
        LagSnapshot first = sample(SinkName.MILVUS, 0, 1);
        LagSnapshot second = sample(SinkName.MILVUS, 5_000, 2);
        LagSnapshot third = sample(SinkName.MILVUS, 10_000, 3);
        LagSnapshot fourth = sample(SinkName.MILVUS, 10_001, 4);

        short10s.add(first);
        short10s.add(second);
        short10s.add(third);
        assertThat(short10s.all(SinkName.MILVUS)).containsExactly(first, second, third);

        short10s.add(fourth);
        assertThat(short10s.all(SinkName.MILVUS)).containsExactly(second, third, fourth);
        assertThat(short10s.latest(SinkName.MILVUS)).contains(fourth);
    }

    @Test
    void eachSinkHasItsOwnSamples() {
        LagSnapshot pg = sample(SinkName.PGVECTOR, 1_000, 1);
        LagSnapshot neo = sample(SinkName.NEO4J, 1_000, 2);
        history.add(pg);
        history.add(neo);

        assertThat(history.all(SinkName.PGVECTOR)).containsExactly(pg);
        assertThat(history.latest(SinkName.NEO4J)).contains(neo);
        assertThat(history.latest(SinkName.MILVUS)).isEmpty();
        assertThat(history.all(SinkName.MILVUS)).isEmpty();
        assertThat(history.window(SinkName.MILVUS, Duration.ofSeconds(5), 1_000))
                .isEqualTo(LagWindowStats.empty(5_000));
    }

    private static LagSnapshot sample(SinkName sink, long atMs, long lagMs) {
        return new LagSnapshot(sink, atMs, lagMs < 0 ? LagState.UNKNOWN : LagState.ACTIVE, lagMs, 0, 0, 0, null);
    }
}
