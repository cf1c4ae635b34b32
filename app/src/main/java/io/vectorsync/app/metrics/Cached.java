package io.vectorsync.app.metrics;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A value computed at most once per time-to-live, so a Prometheus scrape and the dashboard's polls share one call to
 * Kafka or to the gate instead of making one each. Thread-safe: callers arriving during a computation wait for it.
 */
final class Cached<T> {
    private final Supplier<T> compute;
    private final long ttlMs;
    private final LongSupplier clock;
    private T value;
    private long computedAtMs;
    private boolean present;

    Cached(Supplier<T> compute, Duration ttl, LongSupplier clock) {
        this.compute = compute;
        this.ttlMs = ttl.toMillis();
        this.clock = clock;
    }

    synchronized T get() {
        long now = clock.getAsLong();
        if (!present || now - computedAtMs >= ttlMs) {
            value = compute.get();
            computedAtMs = now;
            present = true;
        }
        return value;
    }
}
