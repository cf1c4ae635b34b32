package io.vectorsync.sink.runner;

import io.vectorsync.core.config.TombstoneConfig;
import io.vectorsync.sink.api.Sink;
import io.vectorsync.sink.api.SinkUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Removes a sink's tombstones once their delete is older than {@code tombstone.retention.ms}, so delete markers do
 * not pile up forever. Runs on the sink worker's thread between batches, at most once per
 * {@code tombstone.purge.interval.ms}, in statements of {@code tombstone.purge.batch.size} and at most
 * {@link #MAX_STATEMENTS} per collection and pass, so a large backlog never holds up changes for long; what is left
 * goes in the next pass. A store that is unavailable is logged and tried again next pass: purging is never urgent.
 */
public final class TombstonePurger {
    static final int MAX_STATEMENTS = 100;
    private static final Logger LOG = LoggerFactory.getLogger(TombstonePurger.class);

    private final Sink sink;
    private final TombstoneConfig config;
    private final List<String> collections;
    private final Clock clock;
    private final SinkMetrics metrics;
    private Instant nextPass;

    public TombstonePurger(Sink sink, TombstoneConfig config, List<String> collections, Clock clock,
                           SinkMetrics metrics) {
        this.sink = sink;
        this.config = config;
        this.collections = List.copyOf(collections);
        this.clock = clock;
        this.metrics = metrics;
        this.nextPass = clock.instant();
    }

    /** Runs a pass when one is due; returns the tombstones it removed (0 when none was due). */
    public int purgeIfDue() {
        Instant now = clock.instant();
        if (!config.purges() || now.isBefore(nextPass)) {
            return 0;
        }
        nextPass = now.plus(config.purgeInterval());
        return purge(now);
    }

    /** One pass now, over every collection; returns the tombstones removed. */
    public int purge(Instant now) {
        Instant cutoff = config.cutoff(now);
        int total = 0;
        for (String collection : collections) {
            try {
                int removed = purge(collection, cutoff);
                total += removed;
                if (removed > 0) {
                    LOG.info("{} sink purged {} tombstones of collection '{}' deleted before {}", sink.name(),
                            removed, collection, cutoff);
                } else {
                    LOG.debug("{} sink found no tombstones of collection '{}' deleted before {}", sink.name(),
                            collection, cutoff);
                }
            } catch (SinkUnavailableException e) {
                LOG.warn("{} sink could not purge tombstones of collection '{}'; trying again next pass: {}",
                        sink.name(), collection, e.getMessage());
            }
        }
        return total;
    }

    private int purge(String collection, Instant cutoff) throws SinkUnavailableException {
        int removed = 0;
        for (int statement = 0; statement < MAX_STATEMENTS; statement++) {
            int n = sink.purgeTombstones(collection, cutoff, config.purgeBatchSize());
            removed += n;
            metrics.tombstonesPurged(collection).increment(n);
            if (n < config.purgeBatchSize()) {
                break;
            }
        }
        return removed;
    }
}
