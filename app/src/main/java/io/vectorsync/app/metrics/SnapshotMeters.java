package io.vectorsync.app.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.vectorsync.core.snapshot.SnapshotProgress;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Progress of each captured table's initial snapshot, as the connector publishes it:
 * {@code vectorsync.snapshot.rows.done}, {@code vectorsync.snapshot.rows.expected} (-1 stands for unknown: NaN),
 * {@code vectorsync.snapshot.rows.rate} (rows per second since its first row) and {@code vectorsync.snapshot.eta}
 * (seconds left; 0 once completed), tagged {@code table}; NaN before the table's snapshot has begun.
 */
public final class SnapshotMeters implements MeterBinder {
    private final List<String> tables;
    private final Function<String, Optional<SnapshotProgress>> progress;

    /** @param tables the captured tables, {@code schema.table} */
    public SnapshotMeters(List<String> tables, Function<String, Optional<SnapshotProgress>> progress) {
        this.tables = List.copyOf(tables);
        this.progress = progress;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String t : tables) {
            gauge(registry, "vectorsync.snapshot.rows.done", t, null, "Rows the table's initial snapshot has read",
                    p -> p.rowsDone());
            gauge(registry, "vectorsync.snapshot.rows.expected", t, null,
                    "Rows the table's initial snapshot is expected to read", p -> known(p.rowsExpected()));
            gauge(registry, "vectorsync.snapshot.rows.rate", t, null,
                    "Rows per second the table's initial snapshot has read since its first row", p -> p.ratePerSecond());
            gauge(registry, "vectorsync.snapshot.eta", t, "seconds",
                    "Time left of the table's initial snapshot at its rate so far", p -> known(p.etaMs()) / 1000.0);
        }
    }

    private void gauge(MeterRegistry registry, String name, String table, String unit, String description,
                       ToDoubleFunction<SnapshotProgress> figure) {
        Gauge.builder(name, () -> progress.apply(table).map(figure::applyAsDouble).orElse(Double.NaN))
                .tag("table", table).baseUnit(unit).strongReference(true).description(description).register(registry);
    }

    private static double known(long figure) {
        return figure < 0 ? Double.NaN : figure;
    }
}
