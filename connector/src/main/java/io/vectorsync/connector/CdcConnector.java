package io.vectorsync.connector;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import io.micrometer.core.instrument.MeterRegistry;
import io.vectorsync.core.config.KafkaConfig;
import io.vectorsync.core.kafka.RecordSizeLimit;
import io.vectorsync.core.model.TableId;
import io.vectorsync.core.snapshot.SnapshotProgress;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the Debezium engine on its own thread, publishing through a {@link CdcPublisher}, and beside it a
 * {@link BackfillRunner} that turns backfill requests into incremental snapshots, and an
 * {@link InitialSnapshotTracker} that publishes the initial snapshot's progress per table. One instance runs once:
 * {@link #start()}, then {@link #close()}; to resume, build a new one with the same names and it continues from the
 * offsets stored in Kafka.
 */
public final class CdcConnector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CdcConnector.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final ConnectorConfig config;
    private final KafkaConfig kafka;
    private final List<TableId> tables;
    private final MeterRegistry registry;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    // Counted down when the task has started or the engine has stopped, whichever comes first.
    private final CountDownLatch settled = new CountDownLatch(1);
    private volatile boolean taskStarted;
    private volatile boolean running;
    // Set once the engine has stopped by itself or by close(); a stopped engine refuses a second close().
    private volatile boolean engineStopped;

    private KafkaProducer<String, String> producer;
    private volatile BackfillRunner backfills;
    private CdcPublisher publisher;
    private DebeziumEngine<ChangeEvent<String, String>> engine;
    private ExecutorService executor;
    private volatile InitialSnapshotTracker snapshots;
    private ScheduledExecutorService progress;

    public CdcConnector(ConnectorConfig config, KafkaConfig kafka, List<TableId> tables, MeterRegistry registry) {
        this.config = config;
        this.kafka = kafka;
        this.tables = List.copyOf(tables);
        this.registry = registry;
    }

    /** Builds the engine and starts it on its own thread; returns at once. */
    public synchronized void start() {
        if (engine != null) {
            throw new IllegalStateException("connector '" + config.connectorName() + "' was already started");
        }
        LOG.info("starting change capture of {} from {}: {}", tables, config.address(), config);
        producer = new KafkaProducer<>(CdcPublisher.producerProperties(kafka, config.connectorName() + "-cdc"));
        backfills = new BackfillRunner(config, kafka, tables, registry, System::currentTimeMillis);
        snapshots = new InitialSnapshotTracker(new RowEstimate(config.sourceDatabase())::rows,
                this::publishSnapshotProgress, System::currentTimeMillis);
        publisher = new CdcPublisher(producer, registry, config.signalTable(), config.heartbeatTable(),
                kafka.topics().heartbeat(), SnapshotListener.both(backfills.listener(), snapshots),
                RecordSizeLimit.of(kafka), kafka.topics().deadLetters());
        try {
            engine = DebeziumEngine.create(Json.class)
                    .using(DebeziumProperties.build(config, kafka, tables))
                    .using(new StartCallback())
                    .using(this::completed)
                    .notifying(publisher)
                    .build();
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            backfills.close();
            throw e;
        }
        executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "vectorsync-cdc-" + config.connectorName()));
        progress = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vectorsync-snapshot-progress-" + config.connectorName());
            t.setDaemon(true);
            return t;
        });
        // report() never throws, so the schedule never ends on an error.
        progress.scheduleWithFixedDelay(snapshots::report, config.backfillProgressIntervalMs(),
                config.backfillProgressIntervalMs(), TimeUnit.MILLISECONDS);
        running = true;
        executor.execute(this::prepareAndRun);
    }

    /** Whether the backfill runner is reading requests; it starts once the Debezium task has. */
    public boolean backfillsRunning() {
        BackfillRunner b = backfills;
        return b != null && b.isRunning();
    }

    // On the engine's thread, so start() stays quick and a source or Kafka that cannot be reached is reported
    // like any other failure of the engine.
    private void prepareAndRun() {
        try {
            createHeartbeatTable();
        } catch (SQLException e) {
            completed(false, "the heartbeat table " + config.heartbeatTable() + " cannot be created in "
                    + config.address() + ": " + e.getMessage(), e);
            return;
        }
        try {
            backfills.prepare();
        } catch (SQLException e) {
            completed(false, "the signal table " + config.signalTable() + " cannot be created in "
                    + config.address() + ": " + e.getMessage(), e);
            return;
        } catch (RuntimeException e) {
            completed(false, "running backfills cannot be recovered from Kafka: " + e.getMessage(), e);
            return;
        }
        engine.run();
    }

    /** Before the engine starts, like the signal table, since Debezium builds the publication at start-up. */
    private void createHeartbeatTable() throws SQLException {
        if (!config.heartbeatsEnabled()) {
            return;
        }
        try (Connection c = config.sourceDatabase().connect("vectorsync-connector", Duration.ofSeconds(5),
                Duration.ZERO)) {
            if (new HeartbeatTable(config.heartbeatTable()).create(c)) {
                LOG.info("created the heartbeat table {} in {}", config.heartbeatTable(), config.address());
            }
        }
    }

    /**
     * Waits until the Debezium task has started. By then the replication slot exists, so every later change in the
     * source is captured.
     *
     * @return false when the time ran out or the engine stopped first ({@link #failure()} says why)
     */
    public boolean awaitStarted(Duration timeout) throws InterruptedException {
        return settled.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && taskStarted;
    }

    public boolean isRunning() {
        return running;
    }

    /** Why the engine, or the backfill runner beside it, stopped on its own, if one did. */
    public Optional<Throwable> failure() {
        Throwable engineFailure = failure.get();
        if (engineFailure != null) {
            return Optional.of(engineFailure);
        }
        BackfillRunner b = backfills;
        return b == null ? Optional.empty() : b.failure();
    }

    /** Each table's initial-snapshot progress in this connector (also published to the snapshot progress topic). */
    public List<SnapshotProgress> snapshotProgress() {
        InitialSnapshotTracker t = snapshots;
        return t == null ? List.of() : t.progress();
    }

    private void publishSnapshotProgress(SnapshotProgress p) {
        producer.send(new ProducerRecord<>(kafka.topics().snapshotProgress(), p.table(),
                        io.vectorsync.core.json.Json.write(p)),
                (metadata, error) -> {
                    if (error != null) {
                        LOG.warn("initial snapshot progress of {} was not published: {}", p.table(),
                                error.getMessage());
                    }
                });
    }

    /** The source commit time of the newest change published, for lag monitoring. */
    public Optional<Instant> lastSourceCommit() {
        CdcPublisher p = publisher;
        return p == null ? Optional.empty() : p.lastSourceCommit();
    }

    /** Stops the engine (which flushes the offsets of everything acknowledged), then the producer. */
    @Override
    public synchronized void close() {
        if (engine == null || executor.isShutdown()) {
            return;
        }
        LOG.info("stopping change capture '{}'", config.connectorName());
        // The engine first: its last batch may still publish the end of a backfill through the runner's producer.
        if (!engineStopped) {
            try {
                engine.close();
            } catch (IllegalStateException e) {
                // The engine stopped on its own between the check and the call; completed() has recorded why.
                LOG.debug("the Debezium engine had already stopped: {}", e.getMessage());
            } catch (IOException e) {
                LOG.warn("closing the Debezium engine failed: {}", e.getMessage(), e);
            }
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("the Debezium engine did not stop within {}; interrupting it", STOP_TIMEOUT);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            backfills.close();
            progress.shutdownNow();
            try {
                progress.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // The figures at the stop, the completion of a snapshot whose last row came just before it included.
            snapshots.report();
            producer.close(STOP_TIMEOUT);
            running = false;
        }
    }

    private void completed(boolean success, String message, Throwable error) {
        running = false;
        engineStopped = true;
        if (!success) {
            Throwable cause = error != null ? error : new IllegalStateException(message);
            failure.compareAndSet(null, cause);
            LOG.error("change capture '{}' failed: {}", config.connectorName(), message, error);
        } else {
            LOG.info("change capture '{}' stopped: {}", config.connectorName(), message);
        }
        settled.countDown();
    }

    private final class StartCallback implements DebeziumEngine.ConnectorCallback {
        @Override
        public void taskStarted() {
            LOG.info("change capture '{}' started", config.connectorName());
            taskStarted = true;
            // Only now: the slot and the publication exist, so a signal written from here on is read.
            backfills.start();
            settled.countDown();
        }
    }
}
