package io.vectorsync.migration.shadow;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.SearchHit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Shadow reads: in SHADOW mode each search the legacy store answered is run again on the target store, off the
 * request path, and the two answers compared ({@link ShadowComparison}). The comparisons become metrics and, per
 * collection, a window of the latest ones that the cutover gate and the dashboard read ({@link #summary}).
 *
 * <p>The caller is never held up or failed by the target: the mirrored search runs on the executor, a full queue
 * drops the mirror (counted), and a failing target search is counted and logged at DEBUG.
 */
public final class ShadowReads implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShadowReads.class);

    private record MeterKey(String collection, SinkName legacy, SinkName target) {
    }

    private final Executor executor;
    private final ExecutorService ownExecutor;
    private final MeterRegistry registry;
    private final Clock clock;
    private final int window;
    private final Map<MeterKey, ShadowMeters> meters = new ConcurrentHashMap<>();
    private final Map<String, ShadowWindow> windows = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * Shadow reads on the caller's executor, which stays the caller's to shut down. It should reject work rather
     * than queue without bound or run it on the calling thread.
     *
     * @param window comparisons kept per collection for {@link #summary}
     */
    public ShadowReads(Executor executor, MeterRegistry registry, Clock clock, int window) {
        this(executor, null, registry, clock, window);
    }

    private ShadowReads(Executor executor, ExecutorService ownExecutor, MeterRegistry registry, Clock clock,
                        int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, was " + window);
        }
        this.executor = executor;
        this.ownExecutor = ownExecutor;
        this.registry = registry;
        this.clock = clock;
        this.window = window;
    }

    /** Shadow reads on a pool of their own, {@code shadow.threads} threads and a bounded queue, shut down by close. */
    public static ShadowReads start(ShadowConfig config, MeterRegistry registry, Clock clock) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(config.threads(), config.threads(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(config.queueCapacity()), r -> {
                    Thread t = new Thread(r, "vectorsync-shadow-" + n.incrementAndGet());
                    // Mirrors are disposable: they must never keep the JVM from exiting.
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        return new ShadowReads(pool, pool, registry, clock, config.window());
    }

    /**
     * Runs {@code targetSearch} later and compares its answer with {@code legacyHits}. Returns at once and never
     * throws.
     *
     * @param legacyHits    what the legacy store answered, best first
     * @param legacyLatency how long the legacy store took
     * @param targetSearch  the same search on the target store, best first
     * @param k             the number of hits the search asked for
     */
    public void mirror(String collection, SinkName legacy, SinkName target, List<SearchHit> legacyHits,
                       Duration legacyLatency, Supplier<List<SearchHit>> targetSearch, int k) {
        ShadowMeters m = meters.computeIfAbsent(new MeterKey(collection, legacy, target),
                key -> new ShadowMeters(registry, key.collection(), key.legacy(), key.target()));
        if (closed) {
            m.dropped.increment();
            return;
        }
        try {
            List<SearchHit> answered = List.copyOf(legacyHits);
            executor.execute(() -> compare(collection, m, answered, legacyLatency, targetSearch, k));
        } catch (RejectedExecutionException e) {
            m.dropped.increment();
        } catch (RuntimeException e) {
            // Bad arguments from the search path are a bug, but not one to fail a served search for.
            m.failures.increment();
            LOG.debug("shadow read of {} not mirrored", collection, e);
        }
    }

    /** The latest comparisons of the collection; {@code count} 0 when there are none. */
    public ShadowSummary summary(String collection) {
        ShadowWindow w = windows.get(collection);
        return w == null ? ShadowSummary.empty(collection) : w.summary(collection);
    }

    private void compare(String collection, ShadowMeters m, List<SearchHit> legacyHits, Duration legacyLatency,
                         Supplier<List<SearchHit>> targetSearch, int k) {
        ShadowComparison comparison;
        try {
            long start = clock.monotonicTime();
            List<SearchHit> targetHits = targetSearch.get();
            Duration targetLatency = Duration.ofNanos(clock.monotonicTime() - start);
            comparison = ShadowComparison.compare(legacyHits, targetHits, k, legacyLatency, targetLatency);
        } catch (RuntimeException e) {
            m.failures.increment();
            LOG.debug("shadow read of {} failed on the target", collection, e);
            return;
        }
        m.record(comparison);
        windows.computeIfAbsent(collection, c -> new ShadowWindow(window)).add(comparison, clock.wallTime());
    }

    /** Stops mirroring; a pool of its own is shut down, letting mirrors already running finish briefly. */
    @Override
    public void close() {
        closed = true;
        if (ownExecutor != null) {
            ownExecutor.shutdown();
            try {
                if (!ownExecutor.awaitTermination(5, TimeUnit.SECONDS)) {
                    ownExecutor.shutdownNow();
                }
            } catch (InterruptedException e) {
                ownExecutor.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }
}
