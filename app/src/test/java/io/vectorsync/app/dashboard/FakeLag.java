package io.vectorsync.app.dashboard;

import io.vectorsync.core.model.SinkName;
import io.vectorsync.migration.lag.LagSnapshot;
import io.vectorsync.migration.lag.LagState;
import io.vectorsync.migration.lag.LagView;
import io.vectorsync.migration.lag.LagWindowStats;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A lag view holding whatever samples a test adds; window stats are fixed per sink. */
final class FakeLag implements LagView {
    private final Map<SinkName, List<LagSnapshot>> samples = new EnumMap<>(SinkName.class);
    private final Map<SinkName, LagWindowStats> windows = new EnumMap<>(SinkName.class);
    final List<Duration> windowsAsked = new ArrayList<>();

    FakeLag sample(SinkName sink, long atMs, LagState state, long e2eLagMs, double appliedPerSecond) {
        samples.computeIfAbsent(sink, s -> new ArrayList<>()).add(new LagSnapshot(sink, atMs, state, e2eLagMs,
                state == LagState.UNKNOWN ? -1 : 4, 2048, appliedPerSecond,
                state == LagState.UNKNOWN ? "Kafka did not answer within 5000 ms" : null));
        return this;
    }

    FakeLag window(SinkName sink, LagWindowStats stats) {
        windows.put(sink, stats);
        return this;
    }

    @Override
    public Optional<LagSnapshot> latest(SinkName sink) {
        List<LagSnapshot> kept = samples.getOrDefault(sink, List.of());
        return kept.isEmpty() ? Optional.empty() : Optional.of(kept.get(kept.size() - 1));
    }

    @Override
    public List<LagSnapshot> history(SinkName sink) {
        return List.copyOf(samples.getOrDefault(sink, List.of()));
    }

    @Override
    public LagWindowStats window(SinkName sink, Duration window) {
        windowsAsked.add(window);
        return windows.getOrDefault(sink, LagWindowStats.empty(window.toMillis()));
    }
}
