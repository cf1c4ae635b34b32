package io.vectorsync.migration.lag;

import io.vectorsync.core.model.SinkName;
import io.vectorsync.migration.lag.LagCalculator.Own;
import io.vectorsync.migration.lag.LagCalculator.Shared;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class LagCalculatorTest {
    private static final long NOW = 1_000_000;
    private static final String HEARTBEATS = "shop.heartbeat";

    private final LagCalculator calculator = new LagCalculator(Duration.ofSeconds(30), HEARTBEATS,
            NOW - 60_000);

    @Test
    void activeLagIsTheAgeOfTheOldestChangeWaitingUpstreamOrOnTheSinkTopic() {
        LagSnapshot s = calculator.snapshot(SinkName.NEO4J, NOW,
                shared(waiting(NOW - 7_000), heartbeat(NOW - 1_000)), own(12, waiting(NOW - 3_000)));

        assertThat(s).isEqualTo(new LagSnapshot(SinkName.NEO4J, NOW, LagState.ACTIVE, 7_000, 12, 4096, 0, null));
    }

    @Test
    void aChangeWaitingOnlyOnTheSinkTopicCountsAsMuch() {
        LagSnapshot s = calculator.snapshot(SinkName.PGVECTOR, NOW, shared(caughtUp(), heartbeat(NOW - 1_000)),
                own(1, waiting(NOW - 2_500)));

        assertThat(s.state()).isEqualTo(LagState.ACTIVE);
        assertThat(s.e2eLagMs()).isEqualTo(2_500);
    }

    @Test
    void activeEvenWhenTheHeartbeatsStoppedSinceWaitingChangesGiveTheLag() {
        LagSnapshot s = calculator.snapshot(SinkName.PGVECTOR, NOW, shared(waiting(NOW - 500), noHeartbeat()),
                own(0, caughtUp()));

        assertThat(s.state()).isEqualTo(LagState.ACTIVE);
        assertThat(s.e2eLagMs()).isEqualTo(500);
        assertThat(s.problem()).isNull();
    }

    @Test
    void aChangeStampedAfterNowHasNoLagRatherThanANegativeOne() {
        LagSnapshot s = calculator.snapshot(SinkName.PGVECTOR, NOW, shared(caughtUp(), heartbeat(NOW)),
                own(1, waiting(NOW + 40)));

        assertThat(s.state()).isEqualTo(LagState.ACTIVE);
        assertThat(s.e2eLagMs()).isZero();
    }

    @Test
    void idleWithNoLagWhenNothingWaitsAndTheNewestHeartbeatIsYoungerThanTheStaleAge() {
        LagSnapshot s = calculator.snapshot(SinkName.MILVUS, NOW, shared(caughtUp(), heartbeat(NOW - 29_999)),
                own(0, caughtUp()));

        assertThat(s).isEqualTo(new LagSnapshot(SinkName.MILVUS, NOW, LagState.IDLE, 0, 0, 4096, 0, null));
    }

    @Test
    void stalledWithTheHeartbeatsAgeAsLagOnceItReachesTheStaleAge() {
        LagSnapshot atStale = calculator.snapshot(SinkName.MILVUS, NOW, shared(caughtUp(), heartbeat(NOW - 30_000)),
                own(0, caughtUp()));
        LagSnapshot later = calculator.snapshot(SinkName.MILVUS, NOW + 5_000,
                shared(caughtUp(), heartbeat(NOW - 30_000)), own(0, caughtUp()));

        assertThat(atStale.state()).isEqualTo(LagState.STALLED);
        assertThat(atStale.e2eLagMs()).isEqualTo(30_000);
        assertThat(atStale.problem()).isNull();
        assertThat(later.e2eLagMs()).isEqualTo(35_000);
    }

    @Test
    void noHeartbeatEverIsStalledWithAnUnknownLagNamingTheTopic() {
        LagSnapshot s = calculator.snapshot(SinkName.PGVECTOR, NOW, shared(caughtUp(), noHeartbeat()),
                own(0, caughtUp()));

        assertThat(s.state()).isEqualTo(LagState.STALLED);
        assertThat(s.e2eLagMs()).isEqualTo(-1);
        assertThat(s.problem()).isEqualTo("no heartbeat from the connector on shop.heartbeat yet");
    }

    @Test
    void noHeartbeatYetWithinTheStaleAgeOfStartIsStartingAndStalledFromThen() {
        LagCalculator justStarted = new LagCalculator(Duration.ofSeconds(30), HEARTBEATS, NOW - 29_999);
        LagSnapshot starting = justStarted.snapshot(SinkName.PGVECTOR, NOW, shared(caughtUp(), noHeartbeat()),
                own(0, caughtUp()));
        LagSnapshot stalled = justStarted.snapshot(SinkName.PGVECTOR, NOW + 1, shared(caughtUp(), noHeartbeat()),
                own(0, caughtUp()));

        assertThat(starting).isEqualTo(new LagSnapshot(SinkName.PGVECTOR, NOW, LagState.STARTING, -1, 0, 4096, 0,
                "waiting for the connector's first heartbeat on shop.heartbeat (the lag monitor started 29999 ms ago)"));
        assertThat(stalled.state()).isEqualTo(LagState.STALLED);
        assertThat(stalled.problem()).isEqualTo("no heartbeat from the connector on shop.heartbeat yet");
    }

    @Test
    void changesWaitingBeforeTheFirstHeartbeatAreActiveWithTheirAge() {
        LagCalculator justStarted = new LagCalculator(Duration.ofSeconds(30), HEARTBEATS, NOW - 1_000);
        LagSnapshot s = justStarted.snapshot(SinkName.PGVECTOR, NOW, shared(waiting(NOW - 800), noHeartbeat()),
                own(0, caughtUp()));

        assertThat(s.state()).isEqualTo(LagState.ACTIVE);
        assertThat(s.e2eLagMs()).isEqualTo(800);
    }

    @Test
    void anUnreadableSinkTopicMakesTheLagUnknownEvenWithChangesWaitingUpstream() {
        LagSnapshot s = calculator.snapshot(SinkName.PGVECTOR, NOW, shared(waiting(NOW - 1_000), heartbeat(NOW)),
                new Own(Reading.of(3L), Reading.failed("changes waiting for g unknown: topic t does not exist")));

        assertThat(s.state()).isEqualTo(LagState.UNKNOWN);
        assertThat(s.e2eLagMs()).isEqualTo(-1);
        assertThat(s.appliedPerSecond()).isEqualTo(-1);
        assertThat(s.consumerLagRecords()).isEqualTo(3);
        assertThat(s.problem()).isEqualTo("changes waiting for g unknown: topic t does not exist");
    }

    @Test
    void anUnreadableUpstreamMakesTheLagUnknown() {
        LagSnapshot s = calculator.snapshot(SinkName.PGVECTOR, NOW,
                new Shared(Reading.of(0L), heartbeat(NOW), Reading.failed("upstream unknown")),
                own(0, waiting(NOW - 100)));

        assertThat(s.state()).isEqualTo(LagState.UNKNOWN);
        assertThat(s.e2eLagMs()).isEqualTo(-1);
        assertThat(s.problem()).isEqualTo("upstream unknown");
    }

    @Test
    void unreadableHeartbeatsMatterOnlyWhenNothingWaits() {
        Reading<OptionalLong> unreadable = Reading.failed("the connector's heartbeats unknown: timeout");

        LagSnapshot idle = calculator.snapshot(SinkName.PGVECTOR, NOW,
                new Shared(Reading.of(0L), unreadable, Reading.of(Pending.caughtUp(0))), own(0, caughtUp()));
        LagSnapshot active = calculator.snapshot(SinkName.NEO4J, NOW,
                new Shared(Reading.of(0L), unreadable, Reading.of(Pending.caughtUp(0))), own(0, waiting(NOW - 9)));

        assertThat(idle.state()).isEqualTo(LagState.UNKNOWN);
        assertThat(idle.e2eLagMs()).isEqualTo(-1);
        assertThat(idle.problem()).isEqualTo("the connector's heartbeats unknown: timeout");
        assertThat(active.state()).isEqualTo(LagState.ACTIVE);
        assertThat(active.problem()).isNull();
    }

    @Test
    void unreadableConsumerLagAndSlotAreMinusOneWithEveryReasonWhileTheLagStaysKnown() {
        LagSnapshot s = calculator.snapshot(SinkName.PGVECTOR, NOW,
                new Shared(Reading.failed("replication slot 'shop' does not exist on db:5432/shop"), heartbeat(NOW),
                        Reading.of(Pending.caughtUp(0))),
                new Own(Reading.failed("consumer lag of g unknown: Kafka did not answer within 50 ms"),
                        Reading.of(Pending.caughtUp(0))));

        assertThat(s.state()).isEqualTo(LagState.IDLE);
        assertThat(s.e2eLagMs()).isZero();
        assertThat(s.consumerLagRecords()).isEqualTo(-1);
        assertThat(s.slotLagBytes()).isEqualTo(-1);
        assertThat(s.problem()).isEqualTo("consumer lag of g unknown: Kafka did not answer within 50 ms;"
                + " replication slot 'shop' does not exist on db:5432/shop");
    }

    @Test
    void appliedRateIsTheCommittedDeltaOverTheTimeBetweenKnownPositions() {
        Shared shared = shared(caughtUp(), heartbeat(NOW));

        double first = calculator.snapshot(SinkName.PGVECTOR, NOW, shared, own(0, at(100))).appliedPerSecond();
        double second = calculator.snapshot(SinkName.PGVECTOR, NOW + 2_000, shared, own(0, at(150)))
                .appliedPerSecond();
        double unknown = calculator.snapshot(SinkName.PGVECTOR, NOW + 3_000, shared,
                new Own(Reading.of(0L), Reading.failed("unknown"))).appliedPerSecond();
        double afterGap = calculator.snapshot(SinkName.PGVECTOR, NOW + 4_000, shared, own(0, at(250)))
                .appliedPerSecond();
        double otherSink = calculator.snapshot(SinkName.NEO4J, NOW + 4_000, shared, own(0, at(7)))
                .appliedPerSecond();
        double reset = calculator.snapshot(SinkName.PGVECTOR, NOW + 5_000, shared, own(0, at(10)))
                .appliedPerSecond();

        assertThat(first).isZero();
        assertThat(second).isEqualTo(25.0);
        assertThat(unknown).isEqualTo(-1);
        assertThat(afterGap).isEqualTo(50.0);
        assertThat(otherSink).isZero();
        assertThat(reset).isZero();
    }

    private static Shared shared(Pending upstream, Reading<OptionalLong> heartbeat) {
        return new Shared(Reading.of(4096L), heartbeat, Reading.of(upstream));
    }

    private static Own own(long consumerLag, Pending sinkTopic) {
        return new Own(Reading.of(consumerLag), Reading.of(sinkTopic));
    }

    private static Pending waiting(long oldestMs) {
        return new Pending(0, OptionalLong.of(oldestMs));
    }

    private static Pending caughtUp() {
        return Pending.caughtUp(0);
    }

    private static Pending at(long position) {
        return Pending.caughtUp(position);
    }

    private static Reading<OptionalLong> heartbeat(long atMs) {
        return Reading.of(OptionalLong.of(atMs));
    }

    private static Reading<OptionalLong> noHeartbeat() {
        return Reading.of(OptionalLong.empty());
    }
}
