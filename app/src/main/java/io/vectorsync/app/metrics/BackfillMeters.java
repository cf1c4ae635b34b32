package io.vectorsync.app.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.vectorsync.core.mode.Backfill;
import io.vectorsync.core.mode.ModeStatus;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Progress of each migrating collection's latest backfill, as its status reports it:
 * {@code vectorsync.backfill.rows.done} and {@code vectorsync.backfill.rows.expected} (source rows when it started),
 * tagged {@code collection}; NaN when there is no backfill or its size is not counted yet. Not "rows.total": that
 * is the Prometheus name of the connector's {@code vectorsync.backfill.rows} counter.
 */
public final class BackfillMeters implements MeterBinder {
    private final List<String> collections;
    private final Supplier<Map<String, ModeStatus>> statuses;

    public BackfillMeters(List<String> migratingCollections, Supplier<Map<String, ModeStatus>> statuses) {
        this.collections = List.copyOf(migratingCollections);
        this.statuses = statuses;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String c : collections) {
            Gauge.builder("vectorsync.backfill.rows.done", () -> rows(c, Backfill::rowsDone))
                    .tag("collection", c).strongReference(true)
                    .description("Rows the collection's latest backfill has replayed").register(registry);
            Gauge.builder("vectorsync.backfill.rows.expected", () -> rows(c, Backfill::rowsTotal))
                    .tag("collection", c).strongReference(true)
                    .description("Source rows when the collection's latest backfill started").register(registry);
        }
    }

    private double rows(String collection, ToLongFunction<Backfill> figure) {
        ModeStatus status = statuses.get().get(collection);
        if (status == null || status.backfill() == null) {
            return Double.NaN;
        }
        long rows = figure.applyAsLong(status.backfill());
        return rows < 0 ? Double.NaN : rows;
    }
}
