package io.vectorsync.sink.runner;

import io.vectorsync.core.config.ConfigKey;
import io.vectorsync.core.config.ConfigReader;

import java.time.Duration;
import java.util.List;

/** How a sink worker reads its topic and retries its store. */
public record SinkWorkerConfig(int batchSize, Duration backoffInitial, Duration backoffMax, int maxAttempts,
                               long lsnMaxAheadBytes, Duration commitTimeout) {

    public static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.intInRange("sink.batch.size", 500, 1, 100_000,
            "Changes applied to a store in one batch, at most.");
    public static final ConfigKey<Long> BACKOFF_INITIAL_MS = ConfigKey.positiveLong("sink.retry.backoff.initial.ms",
            200, "First wait before retrying a batch a store could not take.");
    public static final ConfigKey<Long> BACKOFF_MAX_MS = ConfigKey.positiveLong("sink.retry.backoff.max.ms", 5000,
            "Longest wait between retries; the wait doubles up to this.");
    public static final ConfigKey<Integer> MAX_ATTEMPTS = ConfigKey.positiveInt("sink.retry.max.attempts", 5,
            "Attempts before a batch is failed: best-effort changes are then dead-lettered; required changes keep"
                    + " their offsets uncommitted and are retried at the longest wait until the store is back.");
    public static final ConfigKey<Long> LSN_MAX_AHEAD_BYTES = ConfigKey.positiveLong("sink.lsn.max.ahead.bytes",
            16_777_216, "A change whose LSN is more than this many bytes of WAL above the source's current position"
                    + " is dead-lettered (a forged record would otherwise freeze its document behind the LSN guard).");
    public static final ConfigKey<Integer> COMMIT_TIMEOUT_MS = ConfigKey.intInRange("sink.commit.timeout.ms", 30_000,
            1_000, 600_000, "How long a sink waits for Kafka to take its offsets after the store applied a batch."
                    + " Past it (Kafka down or slow) the worker goes on: its next commit covers the batch, and a"
                    + " restart before that applies the batch again, which the LSN guards make harmless.");
    public static final List<ConfigKey<?>> KEYS = List.of(BATCH_SIZE, BACKOFF_INITIAL_MS, BACKOFF_MAX_MS,
            MAX_ATTEMPTS, LSN_MAX_AHEAD_BYTES, COMMIT_TIMEOUT_MS);

    public static SinkWorkerConfig from(ConfigReader reader) {
        int batch = reader.get(BATCH_SIZE);
        long initial = reader.get(BACKOFF_INITIAL_MS);
        long max = reader.get(BACKOFF_MAX_MS);
        int attempts = reader.get(MAX_ATTEMPTS);
        if (!reader.hasProblem(BACKOFF_INITIAL_MS) && !reader.hasProblem(BACKOFF_MAX_MS) && max < initial) {
            reader.problem(BACKOFF_MAX_MS.name(), Long.toString(max),
                    "it must be at least " + BACKOFF_INITIAL_MS.name() + " (" + initial + ")");
        }
        return new SinkWorkerConfig(batch, Duration.ofMillis(initial), Duration.ofMillis(max), attempts,
                reader.get(LSN_MAX_AHEAD_BYTES), Duration.ofMillis(reader.get(COMMIT_TIMEOUT_MS)));
    }

    /** Wait before attempt {@code attempt + 1}: doubling from the initial wait, capped at the maximum. */
    public Duration backoff(int attempt) {
        long millis = backoffInitial.toMillis() << Math.min(attempt - 1, 30);
        return Duration.ofMillis(Math.min(Math.max(millis, backoffInitial.toMillis()), backoffMax.toMillis()));
    }
}
