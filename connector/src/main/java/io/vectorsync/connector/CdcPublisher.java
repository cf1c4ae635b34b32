package io.vectorsync.connector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vectorsync.core.DeadLetterHeaders;
import io.vectorsync.core.Topics;
import io.vectorsync.core.config.KafkaConfig;
import io.vectorsync.core.debezium.CdcRecordParser;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.kafka.OversizedRecordException;
import io.vectorsync.core.kafka.RecordSizeLimit;
import io.vectorsync.core.model.TableId;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes each Debezium batch to Kafka and marks a record processed only once Kafka acknowledged it, so a source
 * offset is never committed ahead of the event it stands for. A failed send fails the whole batch: nothing of it is
 * marked, and after a restart Debezium reads it again (at least once; sinks drop replays by LSN).
 *
 * <p>An event larger than {@code kafka.max.record.bytes} (a multi-megabyte row, a large row updated under
 * {@code REPLICA IDENTITY FULL}, which carries it before and after) is not sent to its topic, where the producer or
 * the broker would refuse it and stop the capture on it at every restart. It goes to the dead-letter topic instead,
 * without its rows ({@link CdcRecordParser#withoutRows}), with an {@link OversizedRecordException} as its reason,
 * and is marked processed like any other record, so later changes keep flowing.
 *
 * <p>Each record's Kafka timestamp is the time Debezium gives it: the source commit time of a change
 * ({@code source.ts_ms}), the time a heartbeat was sent ({@code ts_ms}). The lag monitor reads these timestamps to
 * tell how old the oldest change not yet processed is, and when the connector was last heard of.
 *
 * <p>A TRUNCATE event ({@code op} "t") has no key, so no partition of its own: it is sent to <b>every</b> partition of
 * its table's topic. Each partition's reader (a stream task, with its own share of the document state) then sees
 * it in order with the keyed changes of that partition, before every change committed after it.
 *
 * <p>Three kinds of record stay in the process: Debezium's notifications, which go to the {@link SnapshotListener};
 * the changes of the signal table (signals and snapshot watermarks), of which the listener hears which
 * execute-snapshot signals Debezium read; and the changes of the {@link HeartbeatTable}, which exist only to move the
 * replication slot along. Nobody downstream reads the last two. Like every record, they are marked processed, so
 * their source offsets are committed.
 */
public final class CdcPublisher implements DebeziumEngine.ChangeConsumer<ChangeEvent<String, String>> {
    private static final Logger LOG = LoggerFactory.getLogger(CdcPublisher.class);
    private static final String CDC_PREFIX = Topics.cdcPrefix() + ".";
    private static final long NONE = Long.MIN_VALUE;
    // Debezium's SnapshotRecord values for rows of the initial snapshot (not "false", not "incremental").
    private static final Set<String> INITIAL_SNAPSHOT_MARKERS = Set.of("true", "first", "first_in_data_collection",
            "last_in_data_collection", "last");
    private static final Set<String> LAST_OF_TABLE = Set.of("last_in_data_collection", "last");

    private final Producer<String, String> producer;
    private final MeterRegistry registry;
    private final RecordSizeLimit limit;
    private final String deadLetterTopic;
    private final String signalDestination;
    private final String heartbeatTableDestination;
    private final String heartbeatDestination;
    private final SnapshotListener listener;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Counter> oversized = new ConcurrentHashMap<>();
    private final Counter heartbeats;
    private final AtomicLong lastSourceCommitMs = new AtomicLong(NONE);

    /**
     * @param signalTable    Debezium's signal table, whose changes are not published
     * @param heartbeatTable the table each heartbeat writes to, whose changes are not published
     * @param heartbeatTopic where Debezium sends its heartbeats ({@code topic.heartbeat.name})
     * @param listener       told about incremental-snapshot rows and Debezium's notifications
     * @param limit          the largest record published; larger ones go to {@code deadLetterTopic}
     */
    public CdcPublisher(Producer<String, String> producer, MeterRegistry registry, TableId signalTable,
                        TableId heartbeatTable, String heartbeatTopic, SnapshotListener listener,
                        RecordSizeLimit limit, String deadLetterTopic) {
        this.producer = producer;
        this.registry = registry;
        this.limit = limit;
        this.deadLetterTopic = deadLetterTopic;
        this.signalDestination = Topics.cdc(signalTable);
        this.heartbeatTableDestination = Topics.cdc(heartbeatTable);
        this.heartbeatDestination = heartbeatTopic;
        this.listener = listener;
        this.heartbeats = Counter.builder("vectorsync.capture.heartbeats")
                .description("Debezium heartbeats published; they keep the replication slot advancing when idle")
                .register(registry);
    }

    /**
     * Settings of the producer this publisher needs: idempotent and fully acknowledged, so no event is lost; its
     * requests may hold a record of {@code kafka.max.record.bytes} with room for framing.
     */
    public static Properties producerProperties(KafkaConfig kafka, String clientId) {
        Properties p = kafka.clientPropertiesAsProperties();
        p.setProperty(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.setProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(kafka.maxRequestBytes()));
        p.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return p;
    }

    @Override
    public void handleBatch(List<ChangeEvent<String, String>> records,
                            DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> committer)
            throws InterruptedException {
        List<Outgoing> sent = new ArrayList<>(records.size());
        for (ChangeEvent<String, String> r : records) {
            if (r.value() != null && published(r)) {
                Optional<OversizedRecordException> tooLarge = limit.check(r.key(), r.value());
                sent.add(tooLarge.isPresent() ? deadLetter(r, tooLarge.get()) : send(r));
            }
        }
        // Send everything first and wait afterwards, so the batch travels in as few requests as possible.
        producer.flush();
        for (Outgoing o : sent) {
            for (Future<RecordMetadata> ack : o.acks()) {
                awaitAck(ack, o.event());
            }
        }
        // In the batch's own order, so a notification that a table's snapshot ended comes after the table's rows.
        // The published records come in the same order as in the first loop, which picked them by the same test.
        Iterator<Outgoing> acknowledged = sent.iterator();
        for (ChangeEvent<String, String> r : records) {
            if (r.value() == null) {
                continue;
            }
            if (published(r)) {
                count(acknowledged.next());
            } else if (DebeziumProperties.NOTIFICATIONS.equals(r.destination())) {
                notify(r);
            } else if (signalDestination.equals(r.destination())) {
                executeSnapshotSignal(r.value()).ifPresent(listener::signalled);
            }
        }
        for (ChangeEvent<String, String> r : records) {
            committer.markProcessed(r);
        }
        committer.markBatchFinished();
        LOG.debug("published {} of {} records", sent.size(), records.size());
    }

    /**
     * A record sent to Kafka, its value as parsed and the acknowledgement to wait for.
     *
     * @param deadLettered whether it went to the dead-letter topic instead of its own
     */
    private record Outgoing(ChangeEvent<String, String> event, JsonNode value, List<Future<RecordMetadata>> acks,
                            boolean deadLettered) {
    }

    private Outgoing send(ChangeEvent<String, String> r) {
        JsonNode value = parse(r.value());
        Long timestamp = timestamp(r, value);
        if (!"t".equals(value.path("op").asText())) {
            return new Outgoing(r, value, List.of(producer.send(new ProducerRecord<>(r.destination(), null, timestamp,
                    r.key(), r.value()))), false);
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (PartitionInfo partition : producer.partitionsFor(r.destination())) {
            acks.add(producer.send(new ProducerRecord<>(r.destination(), partition.partition(), timestamp, r.key(),
                    r.value())));
        }
        LOG.info("TRUNCATE of {} published to all {} partitions of its topic", table(r.destination()), acks.size());
        return new Outgoing(r, value, acks, false);
    }

    /** Sends the event, without its rows, to the dead-letter topic; headers as every dead letter's. */
    private Outgoing deadLetter(ChangeEvent<String, String> r, OversizedRecordException reason) {
        LOG.warn("dead-lettering a change event for topic '{}': {}", r.destination(), reason.getMessage());
        String table = table(r.destination());
        oversized.computeIfAbsent(table, t -> Counter.builder("vectorsync.capture.oversized").tag("table", t)
                .description("Change events over kafka.max.record.bytes, dead-lettered instead of published")
                .register(registry)).increment();
        // Never published, so no partition or offset of its own topic.
        ProducerRecord<String, String> record = new ProducerRecord<>(deadLetterTopic, null, null, r.key(),
                CdcRecordParser.withoutRows(r.value()), DeadLetterHeaders.of(reason, r.destination(), -1, -1));
        return new Outgoing(r, MissingNode.getInstance(), List.of(producer.send(record)), true);
    }

    /** The source commit time of the newest change event published, for lag monitoring. */
    public Optional<Instant> lastSourceCommit() {
        long ms = lastSourceCommitMs.get();
        return ms == NONE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(ms));
    }

    private static void awaitAck(Future<RecordMetadata> send, ChangeEvent<String, String> r)
            throws InterruptedException {
        try {
            send.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka did not acknowledge a change event for topic '" + r.destination()
                    + "' (key " + r.key() + "); the batch is not committed and will be read again: "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    private boolean published(ChangeEvent<String, String> r) {
        String destination = r.destination();
        return !DebeziumProperties.NOTIFICATIONS.equals(destination) && !signalDestination.equals(destination)
                && !heartbeatTableDestination.equals(destination);
    }

    private void notify(ChangeEvent<String, String> r) {
        try {
            listener.notified(SnapshotNotification.parse(r.value()));
        } catch (IllegalArgumentException e) {
            LOG.warn("ignoring a Debezium notification: {}", e.getMessage());
        }
    }

    private void count(Outgoing o) {
        String destination = o.event().destination();
        if (o.deadLettered()) {
            return; // counted when it was dead-lettered
        }
        if (destination.equals(heartbeatDestination)) {
            heartbeats.increment();
            return;
        }
        String table = table(destination);
        counters.computeIfAbsent(table, t -> Counter.builder("vectorsync.capture.records").tag("table", t)
                .description("Change events published to Kafka").register(registry)).increment();
        JsonNode source = o.value().path("source");
        // source.ts_ms: when the change was committed in the source.
        JsonNode ts = source.path("ts_ms");
        if (ts.canConvertToLong()) {
            lastSourceCommitMs.accumulateAndGet(ts.asLong(), Math::max);
        }
        incrementalSnapshotTable(source).ifPresent(listener::snapshotRow);
        String marker = source.path("snapshot").asText("false");
        if (INITIAL_SNAPSHOT_MARKERS.contains(marker)) {
            snapshotTable(source).ifPresent(t -> listener.initialSnapshotRow(t, LAST_OF_TABLE.contains(marker)));
        }
    }

    private static String table(String destination) {
        return destination.startsWith(CDC_PREFIX) ? destination.substring(CDC_PREFIX.length()) : destination;
    }

    /** The id of an execute-snapshot signal, when the change event is one's insert into the signal table. */
    static Optional<String> executeSnapshotSignal(String value) {
        try {
            JsonNode v = Json.mapper().readTree(value);
            JsonNode after = v.path("after");
            if ("c".equals(v.path("op").asText()) && "execute-snapshot".equals(after.path("type").asText())
                    && after.path("id").isTextual()) {
                return Optional.of(after.get("id").asText());
            }
        } catch (JsonProcessingException e) {
            LOG.warn("cannot read a change of the signal table: {}", e.getOriginalMessage());
        }
        return Optional.empty();
    }

    /**
     * The record's Kafka timestamp: a change's {@code source.ts_ms}, a heartbeat's {@code ts_ms}; null (the time
     * of sending) when there is none, or when it is ahead of this machine's clock: a source whose clock runs ahead
     * would otherwise make the broker refuse the batch (log.message.timestamp.after.max.ms), stopping the capture.
     */
    private Long timestamp(ChangeEvent<String, String> r, JsonNode value) {
        JsonNode ts = r.destination().equals(heartbeatDestination) ? value.path("ts_ms")
                : value.path("source").path("ts_ms");
        if (!ts.canConvertToLong()) {
            return null;
        }
        long ms = ts.asLong();
        // Kafka refuses a negative timestamp too; no real commit time is one.
        return ms >= 0 && ms <= System.currentTimeMillis() ? ms : null;
    }

    /** A Debezium record's value; a missing node when it is not valid JSON. */
    private static JsonNode parse(String value) {
        try {
            return Json.mapper().readTree(value);
        } catch (JsonProcessingException e) {
            // Only its timestamp, the lag figure and backfill progress depend on it; it is published unchanged.
            LOG.warn("a Debezium record is not valid JSON, so its times are not read: {}", e.getOriginalMessage());
            return MissingNode.getInstance();
        }
    }

    /** The table of an event an incremental snapshot read ({@code source.snapshot} "incremental"). */
    private static Optional<TableId> incrementalSnapshotTable(JsonNode source) {
        if (!"incremental".equals(source.path("snapshot").asText())) {
            return Optional.empty();
        }
        return snapshotTable(source);
    }

    private static Optional<TableId> snapshotTable(JsonNode source) {
        try {
            return Optional.of(new TableId(source.path("schema").asText(), source.path("table").asText()));
        } catch (IllegalArgumentException e) {
            LOG.warn("a snapshot event names no valid table: {}", e.getMessage());
            return Optional.empty();
        }
    }
}
