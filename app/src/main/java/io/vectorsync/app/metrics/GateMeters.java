package io.vectorsync.app.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.vectorsync.core.mode.GateVerdict;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cutover gate's verdict per migrating collection: {@code vectorsync.gate.open} (1 open, 0 closed) tagged
 * {@code collection}, and {@code vectorsync.gate.condition} (1 passed, 0 failed) tagged {@code collection} and
 * {@code condition}. A condition's gauge appears once the gate has named it; NaN while a collection has no status.
 */
public final class GateMeters implements MeterBinder {
    private final List<String> collections;
    private final GateVerdictCache verdicts;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private MeterRegistry registry;

    public GateMeters(List<String> migratingCollections, GateVerdictCache verdicts) {
        this.collections = List.copyOf(migratingCollections);
        this.verdicts = verdicts;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        for (String c : collections) {
            Gauge.builder("vectorsync.gate.open", () -> open(c)).tag("collection", c).strongReference(true)
                    .description("1 when the cutover gate would let the collection move to CUTOVER now, else 0")
                    .register(registry);
        }
    }

    private double open(String collection) {
        GateVerdict verdict = verdicts.verdicts().get(collection);
        if (verdict == null) {
            return Double.NaN;
        }
        // The gate names its conditions only when asked; each gets its gauge the first time it is seen.
        verdict.conditions().forEach(condition -> register(collection, condition.name()));
        return verdict.open() ? 1 : 0;
    }

    private void register(String collection, String condition) {
        if (registered.add(collection + '\n' + condition)) {
            Gauge.builder("vectorsync.gate.condition", () -> passed(collection, condition))
                    .tag("collection", collection).tag("condition", condition).strongReference(true)
                    .description("1 when the cutover gate's condition passes for the collection, else 0")
                    .register(registry);
        }
    }

    private double passed(String collection, String condition) {
        GateVerdict verdict = verdicts.verdicts().get(collection);
        if (verdict == null) {
            return Double.NaN;
        }
        return verdict.conditions().stream().filter(c -> c.name().equals(condition)).findFirst()
                .map(c -> c.passed() ? 1.0 : 0.0).orElse(Double.NaN);
    }
}
