package io.vectorsync.connector;

import io.micrometer.core.instrument.MeterRegistry;
import io.vectorsync.core.Topics;
import io.vectorsync.core.config.KafkaConfig;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.mode.Backfill.State;
import io.vectorsync.core.mode.BackfillProgress;
import io.vectorsync.core.mode.BackfillRequest;
import io.vectorsync.core.model.TableId;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Runs backfills beside the Debezium engine: reads {@link BackfillRequest}s from {@link Topics#backfillRequests()},
 * counts the table's rows, asks Debezium for an incremental snapshot of it through the signal table, and publishes
 * {@link BackfillProgress} keyed by collection to {@link Topics#backfillProgress()}: RUNNING at the start and about
 * once per progress interval while rows come, then COMPLETED (or ABORTED) as soon as Debezium says the table's scan
 * ended.
 *
 * <p>Once per request: RUNNING is published, then the signal written, then the request's offset committed. After
 * a restart the backfills still RUNNING on the progress topic are followed again (Debezium resumes their snapshots
 * from its offsets; rows of a chunk read again are counted again), and a request read again because its offset
 * was not committed writes its signal only if it is missing: the signal's id is derived from the backfill id. A
 * request whose backfill already ended is skipped.
 *
 * <p>One backfill per table at a time: a request for a table whose backfill is still running waits, unread, until
 * that backfill ended, and so do the requests behind it on the same partition. Debezium snapshots the tables of
 * concurrent backfills one after another anyway, so little is lost by waiting.
 */
public final class BackfillRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackfillRunner.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration RETRY = Duration.ofSeconds(5);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final ConnectorConfig source;
    private final KafkaConfig kafka;
    private final Set<TableId> tables;
    private final BackfillSource database;
    private final LongSupplier clock;
    private final KafkaProducer<String, String> producer;
    private final BackfillTracker tracker;
    // The newest progress of each collection, read at start and kept up to date by every send.
    private final Map<String, BackfillProgress> latest = new ConcurrentHashMap<>();
    // Partitions held back, with why: a table busy with another backfill, or a source error to retry later.
    private final Map<TopicPartition, Hold> holds = new HashMap<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean closed;
    private KafkaConsumer<String, String> consumer;
    private Thread thread;

    private record Hold(TableId busyTable, long untilMs) {
    }

    private enum Outcome { DONE, WAIT, RETRY }

    /** @param tables the tables the connector captures; a backfill of any other table is refused */
    public BackfillRunner(ConnectorConfig source, KafkaConfig kafka, List<TableId> tables, MeterRegistry registry,
                          LongSupplier clock) {
        this.source = source;
        this.kafka = kafka;
        this.tables = Set.copyOf(tables);
        this.database = new BackfillSource(source);
        this.clock = clock;
        this.producer = new KafkaProducer<>(CdcPublisher.producerProperties(kafka,
                source.connectorName() + "-backfill"));
        this.tracker = new BackfillTracker(source.backfillProgressIntervalMs(), registry, this::send, clock);
    }

    /** The consumer group reading backfill requests. */
    public static String groupId(KafkaConfig kafka) {
        return kafka.topics().pipeline() + "-backfill";
    }

    /** What the {@link CdcPublisher} tells about snapshot rows and notifications. */
    public SnapshotListener listener() {
        return tracker;
    }

    /**
     * Creates the signal table if it is missing, and follows again the backfills the progress topic shows
     * RUNNING. To be called before the engine starts: Debezium puts the signal table into the publication at
     * start-up, and resumes an interrupted snapshot at once, whose rows must find their backfill followed.
     *
     * @throws SQLException when the signal table cannot be created
     * @throws org.apache.kafka.common.KafkaException when the progress or request topic cannot be read
     */
    public void prepare() throws SQLException {
        database.createSignalTable();
        recover();
    }

    /**
     * Starts reading requests on its own thread; returns at once. Call it once Debezium's task has started: a
     * signal written before the replication slot exists would never be read.
     */
    public synchronized void start() {
        if (thread != null || closed) {
            return;
        }
        thread = new Thread(this::run, "vectorsync-backfill-" + source.connectorName());
        thread.start();
    }

    /** Why the runner stopped on its own, if it did; backfills are then no longer started or followed. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** Whether the runner's thread is reading requests. */
    public boolean isRunning() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    /** Stops reading requests; call it after the engine stopped, so the last counts sent are final. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            t = thread;
            if (consumer != null) {
                consumer.wakeup();
            }
        }
        if (t != null) {
            try {
                t.join(STOP_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // The count as the engine stopped, so a backfill followed again after the restart goes on from there.
        tracker.sendAll();
        producer.close(STOP_TIMEOUT);
    }

    private void run() {
        try {
            synchronized (this) {
                if (closed) {
                    return;
                }
                consumer = new KafkaConsumer<>(requestConsumerProperties());
            }
            try (KafkaConsumer<String, String> c = consumer) {
                c.subscribe(List.of(kafka.topics().backfillRequests()), new ReleaseHolds());
                while (!closed) {
                    tracker.sendDue();
                    releaseHolds(c);
                    handle(c, c.poll(POLL));
                }
            }
        } catch (WakeupException e) {
            if (!closed) {
                failure.compareAndSet(null, e);
                LOG.error("backfill runner of '{}' was woken up unexpectedly", source.connectorName(), e);
            }
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
            LOG.error("backfill runner of '{}' stopped: {}", source.connectorName(), e.getMessage(), e);
        }
    }

    private void handle(KafkaConsumer<String, String> c, ConsumerRecords<String, String> records) {
        for (TopicPartition tp : records.partitions()) {
            for (ConsumerRecord<String, String> r : records.records(tp)) {
                Outcome outcome = handle(r);
                if (outcome == Outcome.DONE) {
                    c.commitSync(Map.of(tp, new OffsetAndMetadata(r.offset() + 1)));
                    continue;
                }
                // Read this request again once the hold ends; nothing behind it is committed before it.
                c.seek(tp, r.offset());
                c.pause(List.of(tp));
                holds.put(tp, outcome == Outcome.WAIT
                        ? new Hold(tableOf(r), 0)
                        : new Hold(null, clock.getAsLong() + RETRY.toMillis()));
                break;
            }
        }
    }

    private Outcome handle(ConsumerRecord<String, String> r) {
        if (r.value() == null) {
            return Outcome.DONE;
        }
        BackfillRequest request;
        TableId table;
        try {
            request = Json.read(r.value(), BackfillRequest.class);
            if (request.backfillId() == null || request.collection() == null || request.table() == null) {
                throw new IllegalArgumentException("backfill_id, collection and table are required");
            }
            table = TableId.parse(request.table());
        } catch (IllegalArgumentException e) {
            LOG.error("ignoring backfill request at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
                    e.getMessage());
            return Outcome.DONE;
        }
        if (!tables.contains(table)) {
            LOG.error("backfill '{}' of collection '{}' asks for table {}, which connector '{}' does not capture {};"
                    + " it is aborted", request.backfillId(), request.collection(), table, source.connectorName(),
                    tables);
            return publish(new BackfillProgress(request.backfillId(), request.collection(), State.ABORTED, 0, -1,
                    clock.getAsLong())) ? Outcome.DONE : Outcome.RETRY;
        }
        Optional<String> running = tracker.backfillOf(table);
        if (running.isPresent() && !running.get().equals(request.backfillId())) {
            LOG.info("backfill '{}' of {} waits for backfill '{}' of the same table to end", request.backfillId(),
                    table, running.get());
            return Outcome.WAIT;
        }
        BackfillProgress last = latest.get(request.collection());
        if (last != null && last.backfillId().equals(request.backfillId()) && last.state() != State.RUNNING) {
            LOG.info("backfill '{}' of {} already ended {}; not running it again", request.backfillId(), table,
                    last.state());
            return Outcome.DONE;
        }
        String signalId = BackfillSource.signalId(request.backfillId());
        try {
            if (running.isPresent()) {
                // Read again after a crash: the signal may or may not have been written before it.
                tracker.expectSignal(table);
                boolean written = false;
                try {
                    written = database.requestSnapshotIfAbsent(signalId, table);
                } finally {
                    if (!written) {
                        tracker.signalRead(table);
                    }
                }
                LOG.info("backfill '{}' of collection '{}': {} incremental snapshot of {}", request.backfillId(),
                        request.collection(), written ? "requested the" : "following the requested", table);
                return Outcome.DONE;
            }
            long total = database.countRows(table);
            // RUNNING is on the progress topic before the signal exists, so whatever Debezium reports of the
            // snapshot comes after it, and a restart finds the backfill to follow.
            if (!awaitSend(tracker.start(request.backfillId(), request.collection(), table, total))) {
                tracker.forget(table, request.backfillId());
                return Outcome.RETRY;
            }
            database.requestSnapshot(signalId, table);
            LOG.info("backfill '{}' of collection '{}': requested an incremental snapshot of {} ({} rows)",
                    request.backfillId(), request.collection(), table, total);
            return Outcome.DONE;
        } catch (SQLException e) {
            LOG.warn("backfill '{}' of {} cannot reach the source {}, retrying in {}: {}", request.backfillId(),
                    table, source.address(), RETRY, e.getMessage());
            return Outcome.RETRY;
        }
    }

    /** Follows again the backfills the progress topic shows RUNNING, finding their tables in their requests. */
    private void recover() {
        for (String json : TopicReader.readAll(readerProperties(), kafka.topics().backfillProgress(), READ_TIMEOUT)) {
            try {
                BackfillProgress p = Json.read(json, BackfillProgress.class);
                if (p.collection() != null && p.backfillId() != null && p.state() != null) {
                    latest.put(p.collection(), p);
                }
            } catch (IllegalArgumentException e) {
                LOG.warn("skipping unreadable backfill progress while recovering: {}", e.getMessage());
            }
        }
        List<BackfillProgress> unfinished = latest.values().stream().filter(p -> p.state() == State.RUNNING).toList();
        if (unfinished.isEmpty()) {
            return;
        }
        Map<String, TableId> tableOf = new HashMap<>();
        for (String json : TopicReader.readAll(readerProperties(), kafka.topics().backfillRequests(), READ_TIMEOUT)) {
            try {
                BackfillRequest r = Json.read(json, BackfillRequest.class);
                tableOf.put(r.backfillId(), TableId.parse(r.table()));
            } catch (IllegalArgumentException e) {
                LOG.debug("skipping an unreadable backfill request while recovering: {}", e.getMessage());
            }
        }
        for (BackfillProgress p : unfinished) {
            TableId table = tableOf.get(p.backfillId());
            if (table == null || !tables.contains(table) || tracker.backfillOf(table).isPresent()) {
                LOG.warn("backfill '{}' of collection '{}' was running but its table cannot be followed ({}); it is"
                        + " aborted", p.backfillId(), p.collection(), table == null ? "its request is gone" : table);
                publish(new BackfillProgress(p.backfillId(), p.collection(), State.ABORTED, p.rowsDone(),
                        p.rowsTotal(), clock.getAsLong()));
                continue;
            }
            LOG.info("following backfill '{}' of {} again after a restart, {} of {} rows so far", p.backfillId(),
                    table, p.rowsDone(), p.rowsTotal());
            awaitSend(tracker.resume(p.backfillId(), p.collection(), table, p.rowsTotal(), p.rowsDone()));
        }
    }

    private void releaseHolds(KafkaConsumer<String, String> c) {
        long now = clock.getAsLong();
        Set<TopicPartition> released = new HashSet<>();
        holds.forEach((tp, hold) -> {
            boolean free = hold.busyTable() == null || tracker.backfillOf(hold.busyTable()).isEmpty();
            if (free && now >= hold.untilMs()) {
                released.add(tp);
            }
        });
        if (!released.isEmpty()) {
            released.forEach(holds::remove);
            c.resume(released);
        }
    }

    private Future<?> send(BackfillProgress p) {
        latest.put(p.collection(), p);
        return producer.send(new ProducerRecord<>(kafka.topics().backfillProgress(), p.collection(), Json.write(p)),
                (metadata, error) -> {
                    if (error != null) {
                        LOG.warn("progress of backfill '{}' was not published: {}", p.backfillId(),
                                error.getMessage());
                    }
                });
    }

    private boolean publish(BackfillProgress p) {
        return awaitSend(send(p));
    }

    private static boolean awaitSend(Future<?> send) {
        try {
            send.get();
            return true;
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static TableId tableOf(ConsumerRecord<String, String> r) {
        return TableId.parse(Json.read(r.value(), BackfillRequest.class).table());
    }

    private Properties requestConsumerProperties() {
        Properties p = readerProperties();
        p.setProperty(ConsumerConfig.GROUP_ID_CONFIG, groupId(kafka));
        p.setProperty(ConsumerConfig.CLIENT_ID_CONFIG, source.connectorName() + "-backfill-requests");
        p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // A request written before the connector first ran must not be skipped.
        p.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.setProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10");
        return p;
    }

    private Properties readerProperties() {
        Properties p = kafka.clientPropertiesAsProperties();
        p.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Creating vectorsync's topics is the pipeline's job; a reader must not create one by asking for it.
        p.setProperty(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        return p;
    }

    /** Holds end with the partitions they were on: a partition assigned again starts from its committed offset. */
    private final class ReleaseHolds implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            partitions.forEach(holds::remove);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }
    }
}
