package io.vectorsync.migration.lag;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.core.model.SinkName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class LagMonitorTest {
    private static final LagConfig CONFIG = new LagConfig(Duration.ofSeconds(1), Duration.ofSeconds(60),
            Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofSeconds(1));

    /** Probes answering what the test sets, or failing as it says. */
    static final class FakeProbes implements LagProbes {
        final Map<SinkName, Long> consumerLag = new EnumMap<>(SinkName.class);
        final Map<SinkName, Pending> sinkTopics = new EnumMap<>(SinkName.class);
        Pending upstream = Pending.caughtUp(0);
        OptionalLong heartbeat = OptionalLong.empty();
        long slot = 1234;
        RuntimeException broken;
        boolean closed;

        @Override
        public long consumerLag(SinkName sink) {
            return consumerLag.getOrDefault(sink, 0L);
        }

        @Override
        public Pending sinkTopic(SinkName sink) {
            return sinkTopics.getOrDefault(sink, Pending.caughtUp(0));
        }

        @Override
        public Pending upstream() {
            if (broken != null) {
                throw broken;
            }
            return upstream;
        }

        @Override
        public OptionalLong newestHeartbeatMs() {
            return heartbeat;
        }

        @Override
        public long slotLagBytes() throws LagReadException {
            if (slot < 0) {
                throw new LagReadException("replication slot 'shop' does not exist on db:5432/shop");
            }
            return slot;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final MockClock clock = new MockClock();
    private final FakeProbes probes = new FakeProbes();
    private final LagMonitor monitor = new LagMonitor(CONFIG, Set.of(SinkName.NEO4J, SinkName.PGVECTOR), probes,
            "shop.heartbeat", clock);

    @Test
    void eachSampleGivesEverySinkASnapshotAtTheClocksTime() {
        clock.add(Duration.ofSeconds(100));
        long now = clock.wallTime();
        probes.heartbeat = OptionalLong.of(now - 2_000);
        probes.sinkTopics.put(SinkName.NEO4J, new Pending(10, OptionalLong.of(now - 1_500)));
        probes.consumerLag.put(SinkName.NEO4J, 4L);

        monitor.sample();

        assertThat(monitor.latest(SinkName.NEO4J)).contains(
                new LagSnapshot(SinkName.NEO4J, now, LagState.ACTIVE, 1_500, 4, 1234, 0, null));
        assertThat(monitor.latest(SinkName.PGVECTOR)).contains(
                new LagSnapshot(SinkName.PGVECTOR, now, LagState.IDLE, 0, 0, 1234, 0, null));
        assertThat(monitor.latest(SinkName.MILVUS)).isEmpty();
    }

    @Test
    void historyAndWindowFollowTheSamplesOverTheMonitorsClock() {
        clock.add(Duration.ofSeconds(100));
        for (int i = 1; i <= 3; i++) {
            probes.sinkTopics.put(SinkName.PGVECTOR, new Pending(0, OptionalLong.of(clock.wallTime() - i * 100L)));
            monitor.sample();
            clock.add(Duration.ofSeconds(1));
        }

        assertThat(monitor.history(SinkName.PGVECTOR)).extracting(LagSnapshot::e2eLagMs).containsExactly(100L, 200L,
                300L);
        assertThat(monitor.window(SinkName.PGVECTOR, Duration.ofSeconds(60)))
                .isEqualTo(new LagWindowStats(60_000, 3, 2_000, 200, 300, 300));
        // Two seconds later than the last sample, a window of two seconds still holds the second and third.
        assertThat(monitor.window(SinkName.PGVECTOR, Duration.ofSeconds(2)).samples()).isEqualTo(2);
    }

    @Test
    void aFailingProbeGivesUnknownFiguresAndTheNextSampleRecovers() {
        clock.add(Duration.ofSeconds(100));
        probes.heartbeat = OptionalLong.of(clock.wallTime());
        probes.broken = new IllegalStateException("boom");
        probes.slot = -1;

        monitor.sample();
        LagSnapshot failed = monitor.latest(SinkName.PGVECTOR).orElseThrow();
        probes.broken = null;
        probes.slot = 10;
        clock.add(Duration.ofSeconds(1));
        monitor.sample();

        assertThat(failed.state()).isEqualTo(LagState.UNKNOWN);
        assertThat(failed.e2eLagMs()).isEqualTo(-1);
        assertThat(failed.slotLagBytes()).isEqualTo(-1);
        assertThat(failed.problem()).isEqualTo("upstream could not be read: java.lang.IllegalStateException: boom;"
                + " replication slot 'shop' does not exist on db:5432/shop");
        assertThat(monitor.latest(SinkName.PGVECTOR).orElseThrow().state()).isEqualTo(LagState.IDLE);
    }

    @Test
    void gaugesShowTheLatestSamplePerSinkInBaseUnitsAndNaNWhileUnknown() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        monitor.bindTo(registry);
        assertThat(gauge(registry, "vectorsync.lag.e2e", SinkName.NEO4J).value()).isNaN();
        assertThat(registry.get("vectorsync.lag.slot").gauge().value()).isNaN();

        clock.add(Duration.ofSeconds(100));
        long now = clock.wallTime();
        probes.heartbeat = OptionalLong.of(now);
        probes.sinkTopics.put(SinkName.NEO4J, new Pending(10, OptionalLong.of(now - 2_500)));
        probes.consumerLag.put(SinkName.NEO4J, 7L);
        monitor.sample();
        clock.add(2, TimeUnit.SECONDS);
        probes.sinkTopics.put(SinkName.NEO4J, new Pending(30, OptionalLong.of(now - 1_000)));
        monitor.sample();

        Gauge e2e = gauge(registry, "vectorsync.lag.e2e", SinkName.NEO4J);
        assertThat(e2e.getId().getBaseUnit()).isEqualTo("seconds");
        assertThat(e2e.value()).isEqualTo(3.0);
        assertThat(gauge(registry, "vectorsync.lag.e2e.p50", SinkName.NEO4J).value()).isEqualTo(2.5);
        assertThat(gauge(registry, "vectorsync.lag.e2e.p99", SinkName.NEO4J).value()).isEqualTo(3.0);
        assertThat(gauge(registry, "vectorsync.lag.consumer", SinkName.NEO4J).value()).isEqualTo(7.0);
        assertThat(gauge(registry, "vectorsync.lag.idle", SinkName.NEO4J).value()).isZero();
        assertThat(gauge(registry, "vectorsync.lag.idle", SinkName.PGVECTOR).value()).isEqualTo(1.0);
        assertThat(gauge(registry, "vectorsync.sink.applied.rate", SinkName.NEO4J).value()).isEqualTo(10.0);
        assertThat(registry.get("vectorsync.lag.slot").gauge().value()).isEqualTo(1234.0);
        assertThat(registry.get("vectorsync.lag.slot").gauge().getId().getBaseUnit()).isEqualTo("bytes");
        assertThat(registry.find("vectorsync.lag.e2e").tag("sink", "milvus").gauge()).isNull();
    }

    @Test
    void beforeTheConnectorsFirstHeartbeatSinksAreStartingNotStalledUntilTheStaleAgeHasPassedSinceStart() {
        // The monitor was built at the clock's time 0; the connector has not sent a heartbeat yet.
        probes.sinkTopics.put(SinkName.NEO4J, Pending.caughtUp(0));
        clock.add(Duration.ofSeconds(29));
        monitor.sample();
        LagSnapshot starting = monitor.latest(SinkName.NEO4J).orElseThrow();
        clock.add(Duration.ofSeconds(1));
        monitor.sample();
        LagSnapshot stalled = monitor.latest(SinkName.NEO4J).orElseThrow();

        assertThat(starting.state()).isEqualTo(LagState.STARTING);
        assertThat(starting.e2eLagMs()).isEqualTo(-1);
        assertThat(starting.problem()).isEqualTo("waiting for the connector's first heartbeat on shop.heartbeat"
                + " (the lag monitor started 29000 ms ago)");
        assertThat(stalled.state()).isEqualTo(LagState.STALLED);
        assertThat(stalled.e2eLagMs()).isEqualTo(-1);
        assertThat(stalled.problem()).isEqualTo("no heartbeat from the connector on shop.heartbeat yet");
    }

    @Test
    void theFirstHeartbeatEndsStartingAtOnce() {
        clock.add(Duration.ofSeconds(5));
        monitor.sample();
        probes.heartbeat = OptionalLong.of(clock.wallTime());
        clock.add(Duration.ofSeconds(1));
        monitor.sample();

        assertThat(monitor.history(SinkName.PGVECTOR)).extracting(LagSnapshot::state)
                .containsExactly(LagState.STARTING, LagState.IDLE);
    }

    @Test
    void closeClosesTheProbes() {
        monitor.close();

        assertThat(probes.closed).isTrue();
    }

    private static Gauge gauge(SimpleMeterRegistry registry, String name, SinkName sink) {
        return registry.get(name).tag("sink", sink.id()).gauge();
    }
}
