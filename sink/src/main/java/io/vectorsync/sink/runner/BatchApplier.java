package io.vectorsync.sink.runner;

import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.core.model.StorageMode.Delivery;
import io.vectorsync.sink.api.ApplyResult;
import io.vectorsync.sink.api.Sink;
import io.vectorsync.sink.api.SinkUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Applies one batch to its store until the batch is done with, retrying with doubling backoff while the store is
 * unavailable. After {@code sink.retry.max.attempts} failed attempts the best-effort changes are dead-lettered and
 * dropped from the batch, so a target written best effort never holds its sink back; the required rest is retried
 * at the longest wait until the store is back, since skipping it would lose a change the mode says must land.
 * Which changes are best effort is decided then, and again at every later attempt, from the mode in force
 * ({@link ApplyTimeDelivery}): a change routed best effort before a cutover is required once the cutover applied.
 */
final class BatchApplier {
    private static final Logger LOG = LoggerFactory.getLogger(BatchApplier.class);

    /** Waits between attempts; the worker keeps polling its paused consumer meanwhile, so it stays in its group. */
    @FunctionalInterface
    interface Pause {
        void pauseFor(Duration wait);
    }

    private final Sink sink;
    private final SinkWorkerConfig config;
    private final SinkMetrics metrics;
    private final DeadLetterPublisher deadLetters;
    private final Pause pause;
    private final BooleanSupplier running;
    private final ApplyTimeDelivery delivery;
    private final FutureLsnCheck futureLsns;

    BatchApplier(Sink sink, SinkWorkerConfig config, SinkMetrics metrics, DeadLetterPublisher deadLetters,
                 Pause pause, BooleanSupplier running, CurrentModes modes, SourcePosition source) {
        this.sink = sink;
        this.futureLsns = new FutureLsnCheck(source, config.lsnMaxAheadBytes());
        this.delivery = new ApplyTimeDelivery(sink.name(), modes);
        this.config = config;
        this.metrics = metrics;
        this.deadLetters = deadLetters;
        this.pause = pause;
        this.running = running;
    }

    /**
     * @return true when every change of the batch was applied, skipped, rejected or dropped, so its offsets may be
     *         committed; false when the worker was stopped first
     */
    boolean applyUntilDone(SinkBatch batch) {
        SinkBatch pending = withoutFutureLsns(batch);
        for (int attempt = 1; running.getAsBoolean(); attempt++) {
            if (pending.isEmpty()) {
                return true;
            }
            try {
                apply(pending);
                return true;
            } catch (SinkUnavailableException e) {
                metrics.retried.increment();
                if (attempt >= config.maxAttempts()) {
                    pending = dropBestEffort(pending, attempt, e);
                    if (pending.isEmpty()) {
                        return true;
                    }
                }
                Duration wait = config.backoff(attempt);
                if (attempt == config.maxAttempts()) {
                    LOG.error("sink {} failed a batch of {} required changes after {} attempts; offsets held,"
                            + " retrying every {} ms until the store is back: {}", sink.name(), pending.size(),
                            attempt, config.backoffMax().toMillis(), e.getMessage());
                } else if (attempt < config.maxAttempts()) {
                    LOG.warn("sink {} batch attempt {} failed, retrying in {} ms: {}", sink.name(), attempt,
                            wait.toMillis(), e.getMessage());
                }
                pause.pauseFor(wait);
            }
        }
        return false;
    }

    private void apply(SinkBatch batch) throws SinkUnavailableException {
        long start = System.nanoTime();
        ApplyResult result = sink.apply(batch.changes());
        metrics.batchLatency.record(Duration.ofNanos(System.nanoTime() - start));
        for (ApplyResult.Rejected rejected : result.rejected()) {
            try (MDC.MDCCloseable c = MDC.putCloseable("collection", rejected.change().collection());
                 MDC.MDCCloseable k = MDC.putCloseable("key", rejected.change().id())) {
                LOG.warn("sink {} refused {}, dead-lettered: {}", sink.name(), rejected.change(), rejected.reason());
            }
            deadLetters.publish(batch.origin(rejected.change()), new RejectedChangeException(rejected.reason()));
        }
        record(batch.changes(), result);
    }

    /** Dead-letters the changes claiming a WAL position the source has not reached, and returns the rest. */
    private SinkBatch withoutFutureLsns(SinkBatch batch) {
        List<FutureLsnCheck.Refused> refused = futureLsns.refusals(batch.changes());
        if (refused.isEmpty()) {
            return batch;
        }
        List<SinkBatch.Entry> entries = new java.util.ArrayList<>();
        for (FutureLsnCheck.Refused r : refused) {
            try (MDC.MDCCloseable c = MDC.putCloseable("collection", r.change().collection());
                 MDC.MDCCloseable k = MDC.putCloseable("key", r.change().id())) {
                LOG.warn("sink {} dead-lettered {}: {}", sink.name(), r.change(), r.reason());
            }
            deadLetters.publish(batch.origin(r.change()), new ImplausibleLsnException(r.reason()));
            entries.add(batch.entries().stream().filter(e -> e.change() == r.change()).findFirst().orElseThrow());
        }
        metrics.failed.increment(refused.size());
        return batch.without(entries);
    }

    /** Dead-letters the changes the modes in force now let go, and returns the required rest. */
    private SinkBatch dropBestEffort(SinkBatch batch, int attempts, SinkUnavailableException cause) {
        List<SinkBatch.Entry> bestEffort = batch.entries().stream()
                .filter(e -> delivery.of(e) == Delivery.BEST_EFFORT).toList();
        if (bestEffort.isEmpty()) {
            return batch;
        }
        BestEffortDroppedException reason = new BestEffortDroppedException(sink.name(), attempts, cause.getMessage());
        for (SinkBatch.Entry e : bestEffort) {
            deadLetters.publish(e.origin(), reason);
        }
        metrics.dropped.increment(bestEffort.size());
        LOG.warn("sink {} dead-lettered {} best-effort changes after {} attempts, the store being unavailable: {}",
                sink.name(), bestEffort.size(), attempts, cause.getMessage());
        return batch.without(bestEffort);
    }

    private void record(List<EnrichedChange> batch, ApplyResult result) {
        metrics.written.increment(result.applied());
        metrics.skipped.increment(result.skipped());
        metrics.failed.increment(result.rejected().size());
        for (EnrichedChange c : batch) {
            metrics.lastLsn.accumulateAndGet(c.lsn(), Math::max);
            metrics.lastSourceTsMs.accumulateAndGet(c.sourceTsMs(), Math::max);
        }
        LOG.debug("sink {} applied {} skipped {} rejected {}", sink.name(), result.applied(), result.skipped(),
                result.rejected().size());
    }
}
