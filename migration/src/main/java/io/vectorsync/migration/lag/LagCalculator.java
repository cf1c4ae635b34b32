package io.vectorsync.migration.lag;

import io.vectorsync.core.model.SinkName;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.LongStream;

/**
 * Turns one sample's raw readings into a sink's {@link LagSnapshot}; no I/O. Keeps each sink's previous position
 * for the applied rate, so it is used by one thread.
 *
 * <p>End-to-end lag is the age of the oldest change the sink has not applied: the first record not yet processed
 * on each partition, upstream (CDC topics, streams worker) and on the sink's own topic, whose Kafka timestamp is the
 * source commit time. With nothing waiting, the connector's heartbeats tell idle (lag 0) from stalled (lag = the
 * age of its newest heartbeat, since a change may have been committed right after it and not captured). Before the
 * connector's first heartbeat, a sink is {@link LagState#STARTING} until the stale age has passed since the monitor
 * started: at start-up the connector may not have sent one yet, and calling that STALLED would raise a false alarm.
 */
final class LagCalculator {

    /** What every sink shares in one sample: the source's slot, its connector's heartbeats, the streams backlog. */
    record Shared(Reading<Long> slotLagBytes, Reading<OptionalLong> newestHeartbeatMs, Reading<Pending> upstream) {
    }

    /** One sink's own readings: its consumer lag and what waits on its topic. */
    record Own(Reading<Long> consumerLag, Reading<Pending> sinkTopic) {
    }

    private record Position(long atMs, long offsets) {
    }

    private record EndToEnd(LagState state, long lagMs, String problem) {
    }

    private final long staleMs;
    private final String heartbeatTopic;
    private final long startedMs;
    private final Map<SinkName, Position> previous = new EnumMap<>(SinkName.class);

    /**
     * @param heartbeatTopic where the connector's heartbeats are read, to name it when there is none
     * @param startedMs      when the lag monitor started (wall clock), from which a missing first heartbeat is aged
     */
    LagCalculator(Duration heartbeatStale, String heartbeatTopic, long startedMs) {
        this.staleMs = heartbeatStale.toMillis();
        this.heartbeatTopic = heartbeatTopic;
        this.startedMs = startedMs;
    }

    LagSnapshot snapshot(SinkName sink, long nowMs, Shared shared, Own own) {
        List<String> problems = new ArrayList<>();
        long consumerLag = figure(own.consumerLag(), problems);
        Pending onTopic = value(own.sinkTopic(), problems);
        Pending upstream = value(shared.upstream(), problems);
        EndToEnd e2e = endToEnd(nowMs, onTopic, upstream, shared.newestHeartbeatMs());
        if (e2e.problem() != null) {
            problems.add(e2e.problem());
        }
        long slot = figure(shared.slotLagBytes(), problems);
        double rate = onTopic == null ? -1 : appliedPerSecond(sink, nowMs, onTopic.position());
        return new LagSnapshot(sink, nowMs, e2e.state(), e2e.lagMs(), consumerLag, slot, rate,
                problems.isEmpty() ? null : String.join("; ", problems));
    }

    private EndToEnd endToEnd(long nowMs, Pending onTopic, Pending upstream, Reading<OptionalLong> heartbeat) {
        if (onTopic == null || upstream == null) {
            // Whichever part could not be read may hold the oldest change: a lag from the rest could understate it.
            return new EndToEnd(LagState.UNKNOWN, -1, null);
        }
        OptionalLong oldest = LongStream.concat(onTopic.oldestMs().stream(), upstream.oldestMs().stream()).min();
        if (oldest.isPresent()) {
            return new EndToEnd(LagState.ACTIVE, Math.max(0, nowMs - oldest.getAsLong()), null);
        }
        if (!heartbeat.known()) {
            return new EndToEnd(LagState.UNKNOWN, -1, heartbeat.problem());
        }
        if (heartbeat.value().isEmpty() && nowMs - startedMs < staleMs) {
            return new EndToEnd(LagState.STARTING, -1, "waiting for the connector's first heartbeat on "
                    + heartbeatTopic + " (the lag monitor started " + (nowMs - startedMs) + " ms ago)");
        }
        if (heartbeat.value().isEmpty()) {
            // Since when the source has been unheard of cannot be told: unknown, which a gate takes as failing.
            return new EndToEnd(LagState.STALLED, -1, "no heartbeat from the connector on " + heartbeatTopic + " yet");
        }
        long age = Math.max(0, nowMs - heartbeat.value().getAsLong());
        return age < staleMs ? new EndToEnd(LagState.IDLE, 0, null) : new EndToEnd(LagState.STALLED, age, null);
    }

    /**
     * Records committed per second since the previous known position; 0 on the first one and when the group went
     * back (an offset reset is a replay, not negative progress).
     */
    private double appliedPerSecond(SinkName sink, long nowMs, long offsets) {
        Position before = previous.put(sink, new Position(nowMs, offsets));
        if (before == null || nowMs <= before.atMs()) {
            return 0;
        }
        return Math.max(0, offsets - before.offsets()) * 1000.0 / (nowMs - before.atMs());
    }

    private static long figure(Reading<Long> reading, List<String> problems) {
        Long v = value(reading, problems);
        return v == null ? -1 : v;
    }

    private static <T> T value(Reading<T> reading, List<String> problems) {
        if (!reading.known()) {
            problems.add(reading.problem());
        }
        return reading.value();
    }
}
