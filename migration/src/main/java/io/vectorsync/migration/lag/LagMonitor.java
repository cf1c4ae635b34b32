package io.vectorsync.migration.lag;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.vectorsync.core.Topics;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.migration.lag.LagCalculator.Own;
import io.vectorsync.migration.lag.LagCalculator.Shared;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Measures, every {@code lag.sample.interval.ms}, each sink's end-to-end lag (source commit to applied), its
 * consumer lag, the rate it applies changes at and the source's replication slot lag, all through Kafka and the
 * source database: it needs to run in the same process as neither the connector nor the sink workers.
 *
 * <p>One daemon thread samples; a figure that cannot be read is -1 with the reason in the snapshot's problem
 * (logged once when it appears, and once when it clears), and the thread never stops on an error.
 */
public final class LagMonitor implements LagView, MeterBinder, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LagMonitor.class);

    /** One figure of a sample, so its problems are logged per figure, not per sink. */
    @FunctionalInterface
    private interface Probe<T> {
        T read() throws LagReadException;
    }

    private final LagConfig config;
    private final List<SinkName> sinks;
    private final LagProbes probes;
    private final Clock clock;
    private final LagCalculator calculator;
    private final LagHistory history;
    private final Map<String, String> reported = new HashMap<>();
    private final Map<SinkName, LagState> states = new EnumMap<>(SinkName.class);
    private volatile long slotLagBytes = -1;
    private ScheduledExecutorService sampler;
    private boolean closed;

    LagMonitor(LagConfig config, Set<SinkName> sinks, LagProbes probes, String heartbeatTopic, Clock clock) {
        this.config = config;
        this.sinks = List.copyOf(sinks.isEmpty() ? EnumSet.noneOf(SinkName.class) : EnumSet.copyOf(sinks));
        this.probes = probes;
        this.clock = clock;
        // Start-up is aged from here: no heartbeat before the stale age has passed is STARTING, not STALLED.
        this.calculator = new LagCalculator(config.heartbeatStale(), heartbeatTopic, clock.wallTime());
        this.history = new LagHistory(config.history());
    }

    /**
     * Starts sampling the lag of {@code sinks} at once and binds the lag meters to {@code registry}.
     *
     * @param topics               the pipeline's topic and group names (sink topics and groups, heartbeat topic)
     * @param streamsApplicationId the streams worker's application id, its consumer group on the CDC topics
     * @param cdcTopics            the CDC topics of the mapped tables ({@code Topics.cdc(table)})
     * @param source               the source database and its connector's replication slot
     * @param client               the Kafka client properties ({@code KafkaConfig.clientProperties()})
     */
    public static LagMonitor start(LagConfig config, Topics topics, Set<SinkName> sinks, String streamsApplicationId,
                                   List<String> cdcTopics, SlotSource source, Map<String, Object> client, Clock clock,
                                   MeterRegistry registry) {
        LagReaders readers = new LagReaders(topics, streamsApplicationId, cdcTopics, source, client,
                config.timeout());
        LagMonitor monitor = new LagMonitor(config, sinks, readers, topics.heartbeat(), clock);
        monitor.bindTo(registry);
        monitor.startSampling();
        LOG.info("lag monitor started for {}: every {} ms, streams worker {}, CDC topics {}, slot {} on {}",
                monitor.sinks, config.sampleInterval().toMillis(), streamsApplicationId, cdcTopics,
                source.slotName(), source.address());
        return monitor;
    }

    private synchronized void startSampling() {
        sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vectorsync-lag");
            // Measuring must never keep the JVM from exiting.
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleWithFixedDelay(this::sampleSafely, 0, config.sampleInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void sampleSafely() {
        try {
            sample();
        } catch (RuntimeException e) {
            // An exception out of a scheduled task would end the sampling for good.
            report("sample", "a lag sample failed: " + e);
        }
    }

    /** One sample of every sink. Upstream is read first: a change that moves on meanwhile is then seen downstream. */
    void sample() {
        Reading<Pending> upstream = read("upstream", probes::upstream);
        Map<SinkName, Own> own = new EnumMap<>(SinkName.class);
        for (SinkName sink : sinks) {
            own.put(sink, new Own(read("consumer lag " + sink, () -> probes.consumerLag(sink)),
                    read("sink topic " + sink, () -> probes.sinkTopic(sink))));
        }
        Reading<OptionalLong> heartbeat = read("heartbeat", probes::newestHeartbeatMs);
        Reading<Long> slot = read("slot", probes::slotLagBytes);
        slotLagBytes = slot.known() ? slot.value() : -1;
        report("sample", null);
        // Read after every figure, so no lag comes out negative or understated by the time the reading took.
        long now = clock.wallTime();
        Shared shared = new Shared(slot, heartbeat, upstream);
        for (SinkName sink : sinks) {
            LagSnapshot snapshot = calculator.snapshot(sink, now, shared, own.get(sink));
            history.add(snapshot);
            logStateChange(snapshot);
        }
    }

    private <T> Reading<T> read(String figure, Probe<T> probe) {
        Reading<T> reading;
        try {
            reading = Reading.of(probe.read());
        } catch (LagReadException e) {
            reading = Reading.failed(e.getMessage());
        } catch (RuntimeException e) {
            reading = Reading.failed(figure + " could not be read: " + e);
        }
        report(figure, reading.problem());
        return reading;
    }

    /** Logs a figure's problem when it appears or changes, and once when it is gone; never every sample. */
    private void report(String figure, String problem) {
        String before = problem == null ? reported.remove(figure) : reported.put(figure, problem);
        if (problem != null && !problem.equals(before)) {
            LOG.warn("lag monitor: {}", problem);
        } else if (problem == null && before != null) {
            LOG.info("lag monitor: {} is read again", figure);
        }
    }

    private void logStateChange(LagSnapshot s) {
        LagState before = states.put(s.sink(), s.state());
        if (s.state() == LagState.STALLED && before != LagState.STALLED) {
            LOG.warn("lag monitor: {} is STALLED: nothing waits, but the connector's newest heartbeat is {}",
                    s.sink(), s.e2eLagMs() < 0 ? "missing" : s.e2eLagMs() + " ms old");
        } else if (before == LagState.STALLED && s.state() != LagState.STALLED) {
            LOG.info("lag monitor: {} is {} again", s.sink(), s.state());
        }
    }

    @Override
    public Optional<LagSnapshot> latest(SinkName sink) {
        return history.latest(sink);
    }

    @Override
    public List<LagSnapshot> history(SinkName sink) {
        return history.all(sink);
    }

    @Override
    public LagWindowStats window(SinkName sink, Duration window) {
        return history.window(sink, window, clock.wallTime());
    }

    /**
     * Registers {@code vectorsync.lag.e2e}, {@code .e2e.p50}, {@code .e2e.p99} (over {@code lag.window.ms}),
     * {@code .consumer}, {@code .idle} and {@code vectorsync.sink.applied.rate}, each tagged {@code sink}, and
     * {@code vectorsync.lag.slot}. {@link #start} does this already.
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        new LagMeters(this, sinks, config.window(), () -> slotLagBytes < 0 ? Double.NaN : slotLagBytes)
                .bindTo(registry);
    }

    /** Stops sampling, waiting for a sample under way, then closes the connections. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (sampler != null) {
            // Interrupting cuts a sample short; each call of it is bounded by lag.timeout.ms anyway.
            sampler.shutdownNow();
            try {
                if (!sampler.awaitTermination(config.timeout().toMillis() * 2, TimeUnit.MILLISECONDS)) {
                    LOG.warn("lag monitor: the sampling thread did not stop within {} ms",
                            config.timeout().toMillis() * 2);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        probes.close();
    }
}
