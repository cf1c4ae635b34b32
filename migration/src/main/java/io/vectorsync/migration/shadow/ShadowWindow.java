package io.vectorsync.migration.shadow;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/** The latest comparisons of one collection, oldest dropped first. Thread-safe. */
final class ShadowWindow {
    private record Entry(ShadowComparison comparison, long atMs) {
    }

    private final int capacity;
    private final Deque<Entry> entries;

    ShadowWindow(int capacity) {
        this.capacity = capacity;
        this.entries = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    synchronized void add(ShadowComparison comparison, long atMs) {
        if (entries.size() == capacity) {
            entries.removeFirst();
        }
        entries.addLast(new Entry(comparison, atMs));
    }

    synchronized ShadowSummary summary(String collection) {
        int n = entries.size();
        if (n == 0) {
            return ShadowSummary.empty(collection);
        }
        double overlap = 0;
        double recall = 0;
        double drift = 0;
        int withCommon = 0;
        long[] legacy = new long[n];
        long[] target = new long[n];
        long last = 0;
        int i = 0;
        for (Entry e : entries) {
            ShadowComparison c = e.comparison();
            overlap += c.overlap();
            recall += c.recall();
            if (c.common() > 0) {
                drift += c.meanScoreDrift();
                withCommon++;
            }
            legacy[i] = c.legacyLatency().toNanos();
            target[i] = c.targetLatency().toNanos();
            last = Math.max(last, e.atMs());
            i++;
        }
        Arrays.sort(legacy);
        Arrays.sort(target);
        return new ShadowSummary(collection, n, overlap / n, recall / n, withCommon == 0 ? 0 : drift / withCommon,
                percentile(legacy, 0.50), percentile(legacy, 0.99), percentile(target, 0.50),
                percentile(target, 0.99), last);
    }

    /** Nearest rank: the smallest value at or below which at least {@code p} of the values lie. */
    static Duration percentile(long[] sortedNanos, double p) {
        int rank = (int) Math.ceil(p * sortedNanos.length);
        return Duration.ofNanos(sortedNanos[Math.max(rank, 1) - 1]);
    }
}
