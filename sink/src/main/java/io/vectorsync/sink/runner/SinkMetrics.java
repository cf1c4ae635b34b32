package io.vectorsync.sink.runner;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vectorsync.core.model.SinkName;

import java.util.concurrent.atomic.AtomicLong;

/** Per-sink meters, tagged {@code sink}. */
public final class SinkMetrics {
    final Counter written;
    final Counter skipped;
    final Counter failed;
    final Counter retried;
    final Counter dropped;
    final Counter expiredUnread;
    final Counter commitsFailed;
    final Timer batchLatency;
    final AtomicLong lastLsn = new AtomicLong();
    final AtomicLong lastSourceTsMs = new AtomicLong();
    private final MeterRegistry registry;
    private final String tag;

    public SinkMetrics(SinkName sink, MeterRegistry registry) {
        this.registry = registry;
        this.tag = sink.id();
        written = Counter.builder("vectorsync.sink.written").tag("sink", tag)
                .description("Changes written to the store").register(registry);
        skipped = Counter.builder("vectorsync.sink.skipped").tag("sink", tag)
                .description("Changes ignored because the store held a newer LSN").register(registry);
        failed = Counter.builder("vectorsync.sink.failed").tag("sink", tag)
                .description("Changes the store rejected; sent to the dead-letter topic").register(registry);
        retried = Counter.builder("vectorsync.sink.retried").tag("sink", tag)
                .description("Batch attempts that failed and were retried").register(registry);
        dropped = Counter.builder("vectorsync.sink.dropped").tag("sink", tag)
                .description("Best-effort changes sent to the dead-letter topic because the store was still"
                        + " unavailable after sink.retry.max.attempts").register(registry);
        expiredUnread = Counter.builder("vectorsync.sink.retention.gap").tag("sink", tag)
                .description("Records of the sink topic its retention dropped before the sink read them; each"
                        + " collection of the store is marked as needing a backfill").register(registry);
        commitsFailed = Counter.builder("vectorsync.sink.commit.failed").tag("sink", tag)
                .description("Offset commits Kafka did not take after the store applied the batch (Kafka down or a"
                        + " rebalance); the next commit covers the batch").register(registry);
        batchLatency = Timer.builder("vectorsync.sink.batch.latency").tag("sink", tag)
                .description("Time to apply one batch").register(registry);
        Gauge.builder("vectorsync.sink.last.lsn", lastLsn, AtomicLong::get).tag("sink", tag)
                .description("Source LSN of the last applied change").register(registry);
        Gauge.builder("vectorsync.sink.last.source.ts", lastSourceTsMs, AtomicLong::get).tag("sink", tag)
                .description("Source commit time (epoch ms) of the last applied change").register(registry);
    }

    /** Tombstones older than tombstone.retention.ms removed from one collection of the store. */
    Counter tombstonesPurged(String collection) {
        return Counter.builder("vectorsync.sink.tombstones.purged").tag("sink", tag).tag("collection", collection)
                .description("Tombstones removed from the store because their delete is older than"
                        + " tombstone.retention.ms").register(registry);
    }

    public double tombstonesPurgedCount(String collection) {
        return tombstonesPurged(collection).count();
    }

    public long writtenCount() {
        return (long) written.count();
    }

    public long failedCount() {
        return (long) failed.count();
    }

    public long retriedCount() {
        return (long) retried.count();
    }

    public long droppedCount() {
        return (long) dropped.count();
    }

    public long commitsFailedCount() {
        return (long) commitsFailed.count();
    }

    public long expiredUnreadCount() {
        return (long) expiredUnread.count();
    }

    public double skippedCount() {
        return skipped.count();
    }

    public long lastSourceTsMs() {
        return lastSourceTsMs.get();
    }
}
