package io.vectorsync.core.config;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How long delete markers (tombstones) are kept, in every store and in the streams worker's document state, and how
 * they are purged. A tombstone's age counts from its delete's commit at the source. A change older than a delete that
 * reaches a store after the delete's tombstone was purged would bring the row back; so the age must outlast every
 * way an old change can still arrive: the topics' retention (a sink re-reading its topic) and the dead-letter topic's
 * (a sink dead letter replayed onto its sink topic carries its old LSN). Both are checked here: an age shorter than
 * either is refused naming both keys. With topic or dead-letter retention -1 (forever) there is no bound on how late
 * an old change may come, so only -1 (never purge) is accepted then.
 *
 * @param retentionMs      age after which a tombstone is purged; -1: never
 * @param purgeInterval    time between two purge passes of a worker
 * @param purgeBatchSize   tombstones removed per statement, at most
 */
public record TombstoneConfig(long retentionMs, Duration purgeInterval, int purgeBatchSize) {

    /** 45 days: above the dead-letter topic's default 30 days plus the 7 days Kafka may keep a record past it. */
    public static final long DEFAULT_RETENTION_MS = 3_888_000_000L;

    public static final ConfigKey<Long> RETENTION_MS = new ConfigKey<>("tombstone.retention.ms",
            Long.toString(DEFAULT_RETENTION_MS),
            "Age, counted from the delete's commit at the source, after which a delete's tombstone is purged from every"
                    + " store and from the streams worker's state (default 45 days; -1 keeps them forever). Must be at"
                    + " least kafka.topic.retention.ms and kafka.dlq.retention.ms, and -1 while either is -1: a change"
                    + " older than a purged tombstone that still arrives (a topic re-read, a dead letter replayed)"
                    + " would bring the row back. The TRUNCATE watermark is never purged.",
            false, TombstoneConfig::parseRetention);
    public static final ConfigKey<Long> PURGE_INTERVAL_MS = ConfigKey.positiveLong("tombstone.purge.interval.ms",
            600_000, "How often each sink worker and stream task purges tombstones older than tombstone.retention.ms.");
    public static final ConfigKey<Integer> PURGE_BATCH_SIZE = ConfigKey.intInRange("tombstone.purge.batch.size",
            1000, 1, 10_000, "Tombstones a sink removes per statement; a pass repeats until fewer are left, at most"
                    + " 100 statements per collection (a stream task: 100 times this per pass), so applying changes is"
                    + " never held up long.");
    public static final List<ConfigKey<?>> KEYS = List.of(RETENTION_MS, PURGE_INTERVAL_MS, PURGE_BATCH_SIZE);

    /** Never purges: tombstones kept forever. */
    public static final TombstoneConfig KEEP_FOREVER = new TombstoneConfig(-1, Duration.ofMillis(600_000), 1000);

    public static TombstoneConfig from(ConfigReader reader, KafkaConfig kafka) {
        long retention = reader.get(RETENTION_MS);
        long interval = reader.get(PURGE_INTERVAL_MS);
        int batch = reader.get(PURGE_BATCH_SIZE);
        if (!reader.hasProblem(RETENTION_MS)) {
            problem(retention, KafkaConfig.RETENTION_MS, kafka.retentionMs())
                    .or(() -> problem(retention, KafkaConfig.DLQ_RETENTION_MS, kafka.dlqRetentionMs()))
                    .ifPresent(message -> reader.problem(RETENTION_MS.name(), Long.toString(retention), message));
        }
        return new TombstoneConfig(retention, Duration.ofMillis(interval), batch);
    }

    /** Why {@code retention} is too short for a Kafka retention, or empty when it is long enough. */
    static Optional<String> problem(long retention, ConfigKey<Long> kafkaKey, long kafkaRetention) {
        if (retention == -1) {
            return Optional.empty();
        }
        if (kafkaRetention == -1) {
            return Optional.of("it must be -1 (keep tombstones forever) while " + kafkaKey.name() + " is -1: a"
                    + " change older than a purged tombstone could still arrive from that topic at any time and"
                    + " bring the deleted row back");
        }
        if (retention < kafkaRetention) {
            return Optional.of("it must be at least " + kafkaKey.name() + " (" + kafkaRetention + "): a change"
                    + " older than a purged tombstone could still arrive from that topic and bring the deleted row"
                    + " back");
        }
        return Optional.empty();
    }

    public boolean purges() {
        return retentionMs != -1;
    }

    /** Tombstones of deletes committed before this instant are purged at {@code now}. */
    public Instant cutoff(Instant now) {
        if (!purges()) {
            throw new IllegalStateException("tombstones are kept forever (tombstone.retention.ms is -1)");
        }
        return now.minusMillis(retentionMs);
    }

    private static long parseRetention(String s) {
        long v;
        try {
            v = Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("it must be a whole number of milliseconds, or -1 for forever");
        }
        if (v != -1 && v < KafkaConfig.MIN_RETENTION_MS) {
            throw new IllegalArgumentException("it must be -1 (forever) or at least " + KafkaConfig.MIN_RETENTION_MS
                    + " (1 hour)");
        }
        return v;
    }
}
