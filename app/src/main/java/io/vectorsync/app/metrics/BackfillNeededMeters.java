package io.vectorsync.app.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.kafka.RetentionGap;
import io.vectorsync.core.model.SinkName;

import java.util.List;
import java.util.function.Supplier;

/**
 * {@code vectorsync.collection.backfill.needed} (tags {@code collection}, {@code sink}): 1 while changes of the store's
 * topic expired before its sink read them and no backfill or full match has made good since, else 0.
 */
public final class BackfillNeededMeters implements MeterBinder {
    private final List<CollectionMapping> collections;
    private final Supplier<List<RetentionGap>> unresolved;

    public BackfillNeededMeters(List<CollectionMapping> collections, Supplier<List<RetentionGap>> unresolved) {
        this.collections = List.copyOf(collections);
        this.unresolved = unresolved;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (CollectionMapping c : collections) {
            for (SinkName sink : c.sinks()) {
                Gauge.builder("vectorsync.collection.backfill.needed", () -> needed(c.name(), sink))
                        .strongReference(true).tag("collection", c.name()).tag("sink", sink.id())
                        .description("1 while the collection needs a backfill into the store: changes of its topic"
                                + " expired before the sink read them").register(registry);
            }
        }
    }

    private double needed(String collection, SinkName sink) {
        return unresolved.get().stream().anyMatch(g -> g.collection().equals(collection) && g.store() == sink)
                ? 1 : 0;
    }
}
