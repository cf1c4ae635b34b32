package io.vectorsync.migration.lag;

import io.vectorsync.core.model.SinkName;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Each sink's samples over the last {@code keep}, oldest first, and statistics over windows of them. Thread-safe. */
final class LagHistory {
    private final long keepMs;
    private final Map<SinkName, Deque<LagSnapshot>> samples = new EnumMap<>(SinkName.class);

    LagHistory(Duration keep) {
        this.keepMs = keep.toMillis();
    }

    /** Adds a sample, newer than every one before it, and drops the samples older than {@code keep} before it. */
    synchronized void add(LagSnapshot sample) {
        Deque<LagSnapshot> kept = samples.computeIfAbsent(sample.sink(), s -> new ArrayDeque<>());
        kept.addLast(sample);
        while (kept.getFirst().atMs() < sample.atMs() - keepMs) {
            kept.removeFirst();
        }
    }

    synchronized Optional<LagSnapshot> latest(SinkName sink) {
        Deque<LagSnapshot> kept = samples.get(sink);
        return kept == null ? Optional.empty() : Optional.of(kept.getLast());
    }

    synchronized List<LagSnapshot> all(SinkName sink) {
        Deque<LagSnapshot> kept = samples.get(sink);
        return kept == null ? List.of() : List.copyOf(kept);
    }

    /**
     * Nearest-rank p50 and p99 and the maximum of the end-to-end lags known ({@code >= 0}) in the samples taken
     * within {@code [nowMs - window, nowMs]}; {@code coveredMs} is the time from the oldest of them to the newest.
     */
    synchronized LagWindowStats window(SinkName sink, Duration window, long nowMs) {
        long windowMs = window.toMillis();
        Deque<LagSnapshot> kept = samples.get(sink);
        if (kept == null) {
            return LagWindowStats.empty(windowMs);
        }
        long[] lags = new long[kept.size()];
        int n = 0;
        long oldest = Long.MAX_VALUE;
        long newest = Long.MIN_VALUE;
        for (LagSnapshot s : kept) {
            if (s.atMs() >= nowMs - windowMs && s.atMs() <= nowMs && s.e2eLagMs() >= 0) {
                lags[n++] = s.e2eLagMs();
                oldest = Math.min(oldest, s.atMs());
                newest = Math.max(newest, s.atMs());
            }
        }
        if (n == 0) {
            return LagWindowStats.empty(windowMs);
        }
        long[] sorted = Arrays.copyOf(lags, n);
        Arrays.sort(sorted);
        return new LagWindowStats(windowMs, n, newest - oldest, nearestRank(sorted, 0.50), nearestRank(sorted, 0.99),
                sorted[n - 1]);
    }

    /** The smallest value at or below which at least {@code p} of the values lie. */
    private static long nearestRank(long[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }
}
