package io.vectorsync.streams.topology;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vectorsync.streams.embedding.EmbeddingUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether changes are held because the embedding provider cannot answer: every stream task of the process shares
 * one. While held, a task keeps its waiting changes in its pending store (changelogged, so a restart keeps them) and
 * tries the provider again no sooner than {@code retryEvery} after the last failure. The first answer releases it.
 * Read by {@code /health} and {@code status} through {@link #warning()}; gauge {@code vectorsync.embedding.held}.
 */
public final class EmbeddingHold {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingHold.class);

    private final long retryEveryMs;
    private long sinceMs = -1;
    private long retryAtMs;
    private String reason = "";

    public EmbeddingHold(Duration retryEvery, MeterRegistry registry) {
        this.retryEveryMs = retryEvery.toMillis();
        Gauge.builder("vectorsync.embedding.held", this, h -> h.held() ? 1 : 0)
                .description("1 while changes wait because the embedding provider cannot answer").register(registry);
    }

    /** Whether a task should not call the provider yet, at wall-clock time {@code nowMs}. */
    public synchronized boolean waiting(long nowMs) {
        return sinceMs >= 0 && nowMs < retryAtMs;
    }

    public synchronized boolean held() {
        return sinceMs >= 0;
    }

    synchronized void hold(EmbeddingUnavailableException e, long nowMs, int pending) {
        if (sinceMs < 0) {
            sinceMs = nowMs;
            LOG.warn("embedding provider unavailable ({}): {} changes held, tried again every {} ms: {}",
                    e.kind().tag(), pending, retryEveryMs, e.getMessage());
        } else {
            LOG.debug("embedding provider still unavailable: {}", e.getMessage());
        }
        reason = e.getMessage();
        retryAtMs = nowMs + retryEveryMs;
    }

    synchronized void release(long nowMs) {
        if (sinceMs >= 0) {
            LOG.info("embedding provider answers again after {} ms; held changes go on", nowMs - sinceMs);
            sinceMs = -1;
            reason = "";
        }
    }

    /** What {@code /health} says while changes are held. */
    public synchronized Optional<String> warning() {
        if (sinceMs < 0) {
            return Optional.empty();
        }
        return Optional.of("embedding provider unavailable since " + Instant.ofEpochMilli(sinceMs)
                + ": changes are held, none lost, and tried again every " + retryEveryMs + " ms; last error: "
                + reason);
    }
}
