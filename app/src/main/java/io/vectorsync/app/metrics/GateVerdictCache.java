package io.vectorsync.app.metrics;

import io.vectorsync.core.mode.CutoverGate;
import io.vectorsync.core.mode.GateVerdict;
import io.vectorsync.core.mode.ModeStatus;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What the cutover gate would answer now for each migrating collection, asked on its current status: the gate's
 * verdict with reasons for the metrics and the dashboard, without requesting a cutover. Each ask costs Kafka calls,
 * so the answers are kept for a short while.
 */
public final class GateVerdictCache {
    private final CutoverGate gate;
    private final Supplier<Map<String, ModeStatus>> statuses;
    private final Cached<Map<String, GateVerdict>> cached;

    public GateVerdictCache(CutoverGate gate, Supplier<Map<String, ModeStatus>> statuses, Duration ttl,
                        LongSupplier clock) {
        this.gate = gate;
        this.statuses = statuses;
        this.cached = new Cached<>(this::check, ttl, clock);
    }

    /** The verdict per collection that has a status, by collection name. */
    public Map<String, GateVerdict> verdicts() {
        return cached.get();
    }

    private Map<String, GateVerdict> check() {
        Map<String, GateVerdict> out = new LinkedHashMap<>();
        statuses.get().forEach((collection, status) -> out.put(collection, checkOne(status)));
        return Map.copyOf(out);
    }

    private GateVerdict checkOne(ModeStatus status) {
        try {
            return gate.check(status);
        } catch (RuntimeException e) {
            // A gate that throws is closed, and says why, rather than breaking a scrape or the dashboard.
            return GateVerdict.of(List.of(new GateVerdict.Condition("gate", false,
                    "the gate failed: " + e.getMessage(), "an answer")));
        }
    }
}
