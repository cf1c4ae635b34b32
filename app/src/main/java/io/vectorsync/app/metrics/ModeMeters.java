package io.vectorsync.app.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.model.StorageMode;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The applied storage mode of each migrating collection: {@code vectorsync.mode} tagged {@code collection} and
 * {@code mode}, 1 for the collection's current mode and 0 for the others (so a graph of it steps at each change),
 * and {@code vectorsync.mode.epoch} tagged {@code collection}. NaN until the collection's status is known.
 */
public final class ModeMeters implements MeterBinder {
    private final List<String> collections;
    private final Supplier<Map<String, ModeStatus>> statuses;

    public ModeMeters(List<String> migratingCollections, Supplier<Map<String, ModeStatus>> statuses) {
        this.collections = List.copyOf(migratingCollections);
        this.statuses = statuses;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String c : collections) {
            for (StorageMode mode : StorageMode.values()) {
                Gauge.builder("vectorsync.mode", () -> is(c, mode)).tag("collection", c).tag("mode", mode.name())
                        .strongReference(true)
                        .description("1 when the collection's applied storage mode is this one, else 0")
                        .register(registry);
            }
            Gauge.builder("vectorsync.mode.epoch", () -> epoch(c)).tag("collection", c).strongReference(true)
                    .description("Epoch of the change that set the collection's applied mode").register(registry);
        }
    }

    private double is(String collection, StorageMode mode) {
        ModeStatus status = statuses.get().get(collection);
        return status == null ? Double.NaN : status.mode() == mode ? 1 : 0;
    }

    private double epoch(String collection) {
        ModeStatus status = statuses.get().get(collection);
        return status == null ? Double.NaN : status.epoch();
    }
}
