package io.vectorsync.migration.shadow;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vectorsync.core.model.SinkName;

/** The shadow-read meters of one collection and its two stores, tagged {@code collection, legacy, target}. */
final class ShadowMeters {
    final Counter comparisons;
    final Counter failures;
    final Counter dropped;
    private final DistributionSummary overlap;
    private final DistributionSummary recall;
    private final DistributionSummary drift;
    private final Timer legacyLatency;
    private final Timer targetLatency;

    ShadowMeters(MeterRegistry registry, String collection, SinkName legacy, SinkName target) {
        Tags tags = Tags.of("collection", collection, "legacy", legacy.id(), "target", target.id());
        comparisons = Counter.builder("vectorsync.shadow.comparisons").tags(tags)
                .description("Searches mirrored to the target store and compared").register(registry);
        failures = Counter.builder("vectorsync.shadow.failures").tags(tags)
                .description("Mirrored searches the target store failed").register(registry);
        dropped = Counter.builder("vectorsync.shadow.dropped").tags(tags)
                .description("Searches not mirrored because the shadow queue was full or shadow reads had stopped")
                .register(registry);
        overlap = DistributionSummary.builder("vectorsync.shadow.overlap").tags(tags)
                .description("Top-k overlap of the target's answer with the legacy store's, 0 to 1")
                .register(registry);
        recall = DistributionSummary.builder("vectorsync.shadow.recall").tags(tags)
                .description("Share of the legacy store's top k the target also returned, 0 to 1")
                .register(registry);
        drift = DistributionSummary.builder("vectorsync.shadow.score.drift").tags(tags)
                .description("Mean absolute score difference of the ids both stores returned")
                .register(registry);
        legacyLatency = latency(registry, tags, legacy);
        targetLatency = latency(registry, tags, target);
    }

    void record(ShadowComparison c) {
        comparisons.increment();
        overlap.record(c.overlap());
        recall.record(c.recall());
        if (c.common() > 0) {
            // With no id in common there is no drift to speak of; a 0 would read as perfect agreement.
            drift.record(c.meanScoreDrift());
        }
        legacyLatency.record(c.legacyLatency());
        targetLatency.record(c.targetLatency());
    }

    private static Timer latency(MeterRegistry registry, Tags tags, SinkName store) {
        return Timer.builder("vectorsync.shadow.latency").tags(tags).tag("store", store.id())
                .description("Search latency of each store on the searches compared").register(registry);
    }
}
