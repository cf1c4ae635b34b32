package io.vectorsync.app.pipeline;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.dashboard.OverviewService;
import io.vectorsync.app.http.HealthEndpoint;
import io.vectorsync.app.http.HttpApi;
import io.vectorsync.app.http.MetricsEndpoint;
import io.vectorsync.app.http.Monitoring;
import io.vectorsync.app.http.RoleHttp;
import io.vectorsync.app.metrics.BackfillMeters;
import io.vectorsync.app.metrics.CaptureCollectionTag;
import io.vectorsync.app.metrics.DeadLetterMeters;
import io.vectorsync.app.metrics.GateMeters;
import io.vectorsync.app.metrics.GateVerdictCache;
import io.vectorsync.app.metrics.KafkaDeadLetterCount;
import io.vectorsync.app.metrics.ModeMeters;
import io.vectorsync.app.search.SearchService;
import io.vectorsync.connector.CdcConnector;
import io.vectorsync.connector.watch.CapturedTableWatch;
import io.vectorsync.core.Topics;
import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.config.SecretMask;
import io.vectorsync.core.kafka.KafkaConsumerLag;
import io.vectorsync.core.mode.CutoverGate;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.migration.gate.ThresholdCutoverGate;
import io.vectorsync.migration.gate.ValidationFollower;
import io.vectorsync.migration.gate.BackfillNeeds;
import io.vectorsync.migration.gate.RetentionGapFollower;
import io.vectorsync.core.kafka.RetentionGap;
import io.vectorsync.app.metrics.BackfillNeededMeters;
import io.vectorsync.migration.gate.ValidationResults;
import io.vectorsync.migration.lag.LagMonitor;
import io.vectorsync.migration.lag.LagView;
import io.vectorsync.migration.lag.SlotSource;
import io.vectorsync.migration.mode.ModeController;
import io.vectorsync.migration.mode.ModeStatusFollower;
import io.vectorsync.migration.shadow.ShadowReads;
import io.vectorsync.sink.runner.SinkMetrics;
import io.vectorsync.sink.runner.SinkWorker;
import io.vectorsync.streams.StreamsWorker;
import io.vectorsync.streams.embedding.EmbeddingProvider;
import io.vectorsync.streams.embedding.EmbeddingProviders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Starts the chosen parts (sinks first, then streams, then the connector, so nothing produces into a part that is
 * not there yet) and stops them in reverse. Wiring only. Every meter carries this process's {@code instance} tag
 * ({@code instance.id}), so dashboards sum or split across instances. Whatever its roles, the process serves
 * {@code /health} and {@code /metrics} on {@code http.port}: the streams role through the full {@link HttpApi}, a
 * process without it through {@link RoleHttp}.
 */
public final class Pipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    /** How long a gate verdict or DLQ count is reused by scrapes and dashboard polls. */
    private static final Duration MONITOR_CACHE = Duration.ofSeconds(2);
    /** How much lag history the dashboard charts. */
    private static final Duration CHART_SPAN = Duration.ofMinutes(5);

    private final AppConfig config;
    private final MeterRegistry registry;
    private final Map<SinkName, SinkWorker> sinkWorkers = new EnumMap<>(SinkName.class);
    private final Map<SinkName, SinkMetrics> sinkMetrics = new EnumMap<>(SinkName.class);
    private final List<Thread> threads = new ArrayList<>();
    private EmbeddingProvider embedder;
    private StreamsWorker streams;
    private KafkaConsumerLag consumerLag;
    private LagMonitor lag;
    private ValidationFollower validations;
    private RetentionGapFollower gaps;
    private CutoverGate gate;
    private KafkaDeadLetterCount deadLetters;
    private ModeController modeController;
    private ModeStatusFollower modes;
    private ShadowReads shadow;
    private SearchService search;
    private CapturedTableWatch tableWatch;
    private HttpApi http;
    private RoleHttp roleHttp;
    private CdcConnector connector;

    private Pipeline(AppConfig config, MeterRegistry registry) {
        this.config = config;
        this.registry = registry;
    }

    public static Pipeline start(AppConfig config, Set<Role> roles, MeterRegistry registry) {
        Pipeline p = new Pipeline(config, registry);
        try {
            p.startRoles(roles);
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
        return p;
    }

    private void startRoles(Set<Role> roles) {
        registry.config().commonTags("instance", config.observability().instanceId());
        registry.config().meterFilter(new CaptureCollectionTag(config.mappings()));
        TopicSetup.ensure(config.kafka(), config.mappings());
        if (roles.contains(Role.CONNECTOR) || roles.contains(Role.STREAMS)) {
            // Where changes are captured (to log it) and where /health and the dashboard are served (to show it).
            tableWatch = CapturedTableWatch.start(config.source().sourceDatabase(), config.mappings().collections(),
                    CapturedTableWatch.INTERVAL, registry);
        }
        if (roles.contains(Role.SINK)) {
            // Whether a change its store cannot take may be dropped depends on the mode in force when it is applied.
            ModeStatusFollower modesInForce = followModes();
            for (SinkName name : sinksInUse()) {
                SinkMetrics metrics = new SinkMetrics(name, registry);
                SinkWorker worker = new SinkWorker(Stores.sink(config, name), config.sinkWorker(), config.tombstones(),
                        config.kafka(), collectionsFor(name), metrics, modesInForce::status,
                        new SourceWalPosition(config.source().sourceDatabase()));
                sinkWorkers.put(name, worker);
                sinkMetrics.put(name, metrics);
                Thread t = new Thread(worker, "vectorsync-sink-" + name.id());
                threads.add(t);
                t.start();
            }
        }
        if (roles.contains(Role.STREAMS)) {
            embedder = EmbeddingProviders.create(config.embedding(), registry);
            streams = new StreamsWorker(config.streams(), config.kafka(), config.mappings(), config.embedding(),
                    embedder, config.tombstones(), registry);
            streams.start();
            startModes();
        }
        if (roles.contains(Role.CONNECTOR)) {
            connector = new CdcConnector(config.source(), config.kafka(),
                    config.mappings().collections().stream().map(CollectionMapping::table).toList(), registry);
            connector.start();
        }
        if (!roles.contains(Role.STREAMS)) {
            // Search, modes and the dashboard live with the streams role; this process answers probes and scrapes.
            String named = roles.stream().map(r -> r.name().toLowerCase(Locale.ROOT)).sorted()
                    .collect(Collectors.joining(" and "));
            roleHttp = new RoleHttp(config.http(), named, new HealthEndpoint(this::failure, this::warnings,
                    this::parts), new MetricsEndpoint(scrape()), config.secretMask()::apply);
            roleHttp.start();
        }
        LOG.info("pipeline started: {} as instance {}", roles, config.observability().instanceId());
    }

    /**
     * The lag monitor and the validation results the cutover gate reads, the mode controller (one active per
     * pipeline: its single control partition goes to one instance), the status follower, and the HTTP API whose
     * search reads from the store each collection's mode names. The lag monitor measures through Kafka and the
     * source, so it sees sink workers running in other processes too.
     */
    private void startModes() {
        Topics topics = config.kafka().topics();
        var source = config.source();
        lag = LagMonitor.start(config.lag(), topics, sinksInUse(), config.streams().applicationId(),
                config.mappings().collections().stream().map(c -> Topics.cdc(c.table())).toList(),
                new SlotSource(source.sourceDatabase(), source.slotName()), config.kafka().clientProperties(),
                Clock.SYSTEM, registry);
        validations = new ValidationFollower(config.kafka().clientProperties(), topics.validation());
        validations.start();
        shadow = ShadowReads.start(config.shadow(), registry, Clock.SYSTEM);
        consumerLag = KafkaConsumerLag.connect(config.kafka().clientProperties(), config.gate().kafkaTimeout());
        gaps = new RetentionGapFollower(config.kafka().clientProperties(), topics.retentionGaps());
        gaps.start();
        gate = new ThresholdCutoverGate(config.gate(), topics, consumerLag, lag, validations, shadow::summary,
                System::currentTimeMillis, gaps);
        modeController = new ModeController(config.kafka(), config.mappings(), gate, System::currentTimeMillis,
                config.streams().applicationId() + "-modes", config.streams().stateDir().resolve("modes"));
        modeController.start();
        followModes();
        search = new SearchService(config.mappings(), EmbeddingProviders.create(config.embedding()),
                store -> Stores.reader(config, store), modes::status, shadow);
        http = new HttpApi(config.http(), search, modes::statuses, monitoring(), config.secretMask()::apply);
        http.start();
    }

    /** The status follower of this process, started on first use; the sink and streams roles share it. */
    private ModeStatusFollower followModes() {
        if (modes == null) {
            modes = new ModeStatusFollower(config.kafka());
            modes.start();
        }
        return modes;
    }

    /** The metrics of modes, gate, backfills and the DLQ, and the dashboard's figures. */
    private Monitoring monitoring() {
        List<String> migrating = config.mappings().collections().stream().filter(c -> c.migration().isPresent())
                .map(CollectionMapping::name).toList();
        GateVerdictCache verdicts = new GateVerdictCache(gate, modes::statuses, MONITOR_CACHE, System::currentTimeMillis);
        deadLetters = new KafkaDeadLetterCount(config.kafka().clientProperties(), config.kafka().topics().deadLetters(),
                config.gate().kafkaTimeout(), MONITOR_CACHE, System::currentTimeMillis);
        new ModeMeters(migrating, modes::statuses).bindTo(registry);
        new BackfillMeters(migrating, modes::statuses).bindTo(registry);
        new GateMeters(migrating, verdicts).bindTo(registry);
        new DeadLetterMeters(deadLetters).bindTo(registry);
        new BackfillNeededMeters(config.mappings().collections(), this::backfillsNeeded).bindTo(registry);
        OverviewService overview = new OverviewService(config.kafka().topics().pipeline(),
                config.mappings().collections(), sinksInUse(), lag, config.lag().window(), CHART_SPAN,
                modes::statuses, verdicts, deadLetters, System::currentTimeMillis, this::warnings);
        return new Monitoring(scrape(), overview::build, this::failure, this::warnings, this::parts);
    }

    private Optional<Supplier<String>> scrape() {
        return registry instanceof PrometheusMeterRegistry prometheus
                ? Optional.of(prometheus::scrape) : Optional.empty();
    }

    /**
     * Each part this process runs and its state, {@code RUNNING} or {@code FAILED: <reason>}, for {@code /health}:
     * {@code connector}, {@code streams}, {@code mode controller}, {@code sink.<store>}.
     */
    public Map<String, String> parts() {
        Map<String, String> parts = new LinkedHashMap<>();
        if (connector != null) {
            parts.put("connector", state(connector.failure().orElse(null)));
        }
        if (streams != null) {
            parts.put("streams", state(streams.failure()));
        }
        if (modeController != null) {
            parts.put("mode controller", state(modeController.failure()));
        }
        sinkWorkers.forEach((name, worker) -> parts.put("sink." + name.id(), state(worker.failure())));
        return parts;
    }

    private static String state(Throwable failure) {
        return failure == null ? "RUNNING" : "FAILED: " + failure;
    }

    /** What the operator must act on although every part runs: captured tables or mapped columns gone, backfills needed. */
    public List<String> warnings() {
        List<String> warnings = new ArrayList<>();
        if (tableWatch != null) {
            warnings.addAll(tableWatch.warnings());
        }
        if (streams != null) {
            streams.embeddingHold().warning().ifPresent(warnings::add);
        }
        backfillsNeeded().stream().map(RetentionGap::describe).forEach(warnings::add);
        return warnings;
    }

    /** Changes that expired before a sink read them, not yet made good by a backfill or a full match. */
    public List<RetentionGap> backfillsNeeded() {
        if (gaps == null || modes == null || validations == null) {
            return List.of();
        }
        return BackfillNeeds.unresolved(gaps.all(), modes::status, validations);
    }

    /** The first failure of any part, if one has failed. */
    public Optional<String> failure() {
        if (connector != null && connector.failure().isPresent()) {
            return Optional.of("connector: " + connector.failure().get());
        }
        if (streams != null && streams.failure() != null) {
            return Optional.of("streams: " + streams.failure());
        }
        if (modeController != null && modeController.failure() != null) {
            return Optional.of("mode controller: " + modeController.failure());
        }
        for (var e : sinkWorkers.entrySet()) {
            if (e.getValue().failure() != null) {
                return Optional.of("sink " + e.getKey() + ": " + e.getValue().failure());
            }
        }
        return Optional.empty();
    }

    public Optional<StreamsWorker> streams() {
        return Optional.ofNullable(streams);
    }

    /** The applied modes as this process sees them; present with the streams or the sink role. */
    public Optional<ModeStatusFollower> modes() {
        return Optional.ofNullable(modes);
    }

    /** The lag of every sink in use; present with the streams role. */
    public Optional<LagView> lag() {
        return Optional.ofNullable(lag);
    }

    /** The latest validation results; present with the streams role. */
    public Optional<ValidationResults> validations() {
        return Optional.ofNullable(validations);
    }

    /** The cutover gate the mode controller asks; present with the streams role. */
    public Optional<CutoverGate> gate() {
        return Optional.ofNullable(gate);
    }

    public Optional<ShadowReads> shadow() {
        return Optional.ofNullable(shadow);
    }

    /** The bound HTTP port: the full API's with the streams role, else the one serving /health and /metrics. */
    public Optional<Integer> httpPort() {
        if (http != null) {
            return Optional.of(http.port());
        }
        return Optional.ofNullable(roleHttp).map(RoleHttp::port);
    }

    /** The worker applying changes to {@code sink}; present with the sink role. */
    public Optional<SinkWorker> sinkWorker(SinkName sink) {
        return Optional.ofNullable(sinkWorkers.get(sink));
    }

    public Optional<SinkMetrics> sinkMetrics(SinkName sink) {
        return Optional.ofNullable(sinkMetrics.get(sink));
    }

    @Override
    public void close() {
        if (connector != null) {
            connector.close();
        }
        for (AutoCloseable part : new AutoCloseable[]{http, roleHttp, deadLetters, search, modes, modeController,
                consumerLag, shadow, validations, gaps, lag, tableWatch}) {
            closeQuietly(part);
        }
        if (streams != null) {
            streams.close();
        }
        if (embedder != null) {
            embedder.close();
        }
        sinkWorkers.values().forEach(SinkWorker::close);
        for (Thread t : threads) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.info("pipeline stopped");
    }

    private static void closeQuietly(AutoCloseable part) {
        if (part == null) {
            return;
        }
        try {
            part.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed: {}", part.getClass().getSimpleName(), e.toString());
        }
    }

    private Set<SinkName> sinksInUse() {
        Set<SinkName> sinks = EnumSet.noneOf(SinkName.class);
        config.mappings().collections().forEach(c -> sinks.addAll(c.sinks()));
        return sinks;
    }

    private List<CollectionMapping> collectionsFor(SinkName sink) {
        return config.mappings().collections().stream().filter(c -> c.sinks().contains(sink)).toList();
    }

}
