package io.vectorsync.migration.lag;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.vectorsync.core.model.SinkName;

import java.time.Duration;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.ToDoubleFunction;

/**
 * The lag monitor's gauges, read from its latest samples at each scrape. A figure that is unknown reads as NaN, so a
 * dashboard shows a gap rather than a value that looks real.
 */
final class LagMeters implements MeterBinder {
    // Micrometer has no constant for it; Prometheus then names the meters *_seconds, as for its timers.
    private static final String SECONDS = "seconds";
    private final LagView view;
    private final List<SinkName> sinks;
    private final Duration window;
    private final DoubleSupplier slotLagBytes;

    /** @param slotLagBytes the newest slot lag, shared by every sink; NaN when unknown */
    LagMeters(LagView view, List<SinkName> sinks, Duration window, DoubleSupplier slotLagBytes) {
        this.view = view;
        this.sinks = List.copyOf(sinks);
        this.window = window;
        this.slotLagBytes = slotLagBytes;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (SinkName sink : sinks) {
            Tags tags = Tags.of("sink", sink.id());
            gauge(registry, "vectorsync.lag.e2e", tags, SECONDS,
                    "Source commit to applied: age of the oldest change the sink has not applied, 0 when idle",
                    v -> latest(v, sink, s -> seconds(s.e2eLagMs())));
            gauge(registry, "vectorsync.lag.e2e.p50", tags, SECONDS,
                    "Median end-to-end lag over lag.window.ms", v -> seconds(v.window(sink, window).p50Ms()));
            gauge(registry, "vectorsync.lag.e2e.p99", tags, SECONDS,
                    "99th percentile of the end-to-end lag over lag.window.ms",
                    v -> seconds(v.window(sink, window).p99Ms()));
            gauge(registry, "vectorsync.lag.consumer", tags, "records",
                    "Records on the sink's topic its consumer group has not committed",
                    v -> latest(v, sink, s -> known(s.consumerLagRecords())));
            gauge(registry, "vectorsync.lag.idle", tags, null,
                    "1 when nothing waits for the sink and the connector's heartbeats are fresh, else 0",
                    v -> v.latest(sink).filter(s -> s.state() == LagState.IDLE).isPresent() ? 1 : 0);
            gauge(registry, "vectorsync.sink.applied.rate", tags, null,
                    "Records the sink committed per second between the last two samples",
                    v -> latest(v, sink, s -> s.appliedPerSecond() < 0 ? Double.NaN : s.appliedPerSecond()));
        }
        Gauge.builder("vectorsync.lag.slot", slotLagBytes, DoubleSupplier::getAsDouble).baseUnit(BaseUnits.BYTES)
                .description("WAL bytes the source's replication slot is behind the current WAL position")
                .strongReference(true).register(registry);
    }

    private void gauge(MeterRegistry registry, String name, Tags tags, String unit, String description,
                       ToDoubleFunction<LagView> value) {
        // Strong: the registry may be the only holder of the monitor's meters once it is wired.
        Gauge.builder(name, view, value).tags(tags).baseUnit(unit).description(description).strongReference(true)
                .register(registry);
    }

    private static double latest(LagView view, SinkName sink, ToDoubleFunction<LagSnapshot> figure) {
        return view.latest(sink).map(figure::applyAsDouble).orElse(Double.NaN);
    }

    private static double seconds(long ms) {
        return ms < 0 ? Double.NaN : ms / 1000.0;
    }

    private static double known(long n) {
        return n < 0 ? Double.NaN : n;
    }
}
