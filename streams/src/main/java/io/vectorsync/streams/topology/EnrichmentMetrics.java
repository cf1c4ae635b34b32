package io.vectorsync.streams.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/** Meters of the enrichment step. */
public final class EnrichmentMetrics {
    final Counter embedded;
    final Counter skipped;
    final Counter deadLetters;
    final Counter stale;
    final Counter oversized;
    final DistributionSummary batchSize;
    final Counter tombstonesPurged;

    public EnrichmentMetrics(MeterRegistry registry) {
        embedded = Counter.builder("vectorsync.embedding.texts")
                .description("Texts sent to the embedding model").register(registry);
        skipped = Counter.builder("vectorsync.embedding.skipped")
                .description("Changes whose text and model were unchanged, so the stored vector was reused")
                .register(registry);
        deadLetters = Counter.builder("vectorsync.dlq.records").tag("stage", "streams")
                .description("Records sent to the dead-letter topic").register(registry);
        stale = Counter.builder("vectorsync.streams.stale")
                .description("Replayed changes older than one already processed; dropped").register(registry);
        oversized = Counter.builder("vectorsync.streams.oversized")
                .description("Change events or enriched changes over kafka.max.record.bytes; dead-lettered")
                .register(registry);
        tombstonesPurged = Counter.builder("vectorsync.streams.tombstones.purged")
                .description("Delete markers the streams worker's document state forgot because their delete is"
                        + " older than tombstone.retention.ms").register(registry);
        batchSize = DistributionSummary.builder("vectorsync.embedding.batch.size")
                .description("Texts per model call").register(registry);
    }

    public double embeddedCount() {
        return embedded.count();
    }

    public double skippedCount() {
        return skipped.count();
    }

    public double staleCount() {
        return stale.count();
    }

    public double oversizedCount() {
        return oversized.count();
    }

    public double tombstonesPurgedCount() {
        return tombstonesPurged.count();
    }

    public double deadLetterCount() {
        return deadLetters.count();
    }
}
