package io.vectorsync.connector;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.core.DeadLetterHeaders;
import io.vectorsync.core.Topics;
import io.vectorsync.core.config.KafkaConfig;
import io.vectorsync.core.kafka.OversizedRecordException;
import io.vectorsync.core.kafka.RecordSizeLimit;
import io.vectorsync.core.model.TableId;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class CdcPublisherTest {
    private static final String TOPIC = "cdc.public.docs";
    private static final String HEARTBEATS = "shop.heartbeat";

    record Event(String key, String value, String destination) implements ChangeEvent<String, String> {
        @Override
        public Integer partition() {
            return null;
        }
    }

    /** Records what the engine would be told, and whether Kafka had acknowledged everything at that moment. */
    static final class Committer implements DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> {
        final List<ChangeEvent<String, String>> processed = new ArrayList<>();
        final MockProducer<String, String> producer;
        boolean batchFinished;
        boolean markedBeforeAck;

        Committer(MockProducer<String, String> producer) {
            this.producer = producer;
        }

        @Override
        public void markProcessed(ChangeEvent<String, String> record) {
            // completeNext() finds a send still waiting for its acknowledgement, if there is one.
            markedBeforeAck |= producer.completeNext();
            processed.add(record);
        }

        @Override
        public void markBatchFinished() {
            batchFinished = true;
        }

        @Override
        public void markProcessed(ChangeEvent<String, String> record, DebeziumEngine.Offsets offsets) {
            throw new UnsupportedOperationException();
        }

        @Override
        public DebeziumEngine.Offsets buildOffsets() {
            throw new UnsupportedOperationException();
        }
    }

    /** A producer whose broker rejects the first record of the next flush. */
    static final class RejectingProducer extends MockProducer<String, String> {
        RejectingProducer() {
            super(false, null, new StringSerializer(), new StringSerializer());
        }

        @Override
        public synchronized void flush() {
            errorNext(new NotEnoughReplicasException("only 0 of 1 in-sync replicas"));
            super.flush();
        }
    }

    private static final TableId SIGNALS = new TableId("ops", "signals");
    private static final TableId BEATS = new TableId("ops", "beats");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<String> heard = new ArrayList<>();

    /** Writes down what it hears, in order. */
    private final SnapshotListener listener = new SnapshotListener() {
        @Override
        public void snapshotRow(TableId table) {
            heard.add("row " + table);
        }

        @Override
        public void notified(SnapshotNotification notification) {
            heard.add(notification.type() + " " + notification.data().get("scanned_collection"));
        }

        @Override
        public void signalled(String signalId) {
            heard.add("signal " + signalId);
        }
    };

    private static final String DLQ = "p.dlq";
    /** Big enough for every event of these tests but the ones made to be too large. */
    private static final int LIMIT = 1_000;

    private CdcPublisher publisher(MockProducer<String, String> producer) {
        return new CdcPublisher(producer, registry, SIGNALS, BEATS, HEARTBEATS, listener, new RecordSizeLimit(LIMIT),
                DLQ);
    }

    private static String incremental(int id) {
        return "{\"before\":null,\"after\":{\"id\":" + id + "},\"op\":\"r\",\"source\":{\"schema\":\"public\","
                + "\"table\":\"docs\",\"ts_ms\":5000,\"snapshot\":\"incremental\",\"lsn\":null}}";
    }

    private static String notification(String type, String table) {
        return "{\"id\":\"bf-1\",\"type\":\"" + type + "\",\"aggregate_type\":\"Incremental Snapshot\","
                + "\"additional_data\":{\"scanned_collection\":\"" + table + "\",\"status\":\"SUCCEEDED\"}}";
    }

    /** A change of the signal table; a delete holds the row in before, with an empty type as Debezium sends it. */
    private static String signalRow(String op, String id, String type) {
        String row = "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"data\":\"{}\"}";
        return "{\"before\":" + (op.equals("d") ? row.replace(type, "") : "null") + ",\"after\":"
                + (op.equals("d") ? "null" : row) + ",\"op\":\"" + op + "\",\"source\":{\"schema\":\"ops\","
                + "\"table\":\"signals\",\"ts_ms\":4000,\"snapshot\":\"false\",\"lsn\":90}}";
    }

    private static String change(String op, int id, long tsMs) {
        return "{\"before\":null,\"after\":{\"id\":" + id + "},\"op\":\"" + op + "\",\"source\":{\"schema\":\"public\","
                + "\"table\":\"docs\",\"ts_ms\":" + tsMs + ",\"lsn\":" + (100 + id) + "}}";
    }

    @Test
    void publishesEveryRecordAndMarksItOnlyAfterKafkaAcknowledged() throws Exception {
        MockProducer<String, String> producer = new MockProducer<>(false, null, new StringSerializer(),
                new StringSerializer());
        Committer committer = new Committer(producer);
        CdcPublisher publisher = publisher(producer);
        List<ChangeEvent<String, String>> batch = List.of(
                new Event("{\"id\":1}", change("c", 1, 1_000), TOPIC),
                new Event("{\"id\":2}", change("u", 2, 3_000), TOPIC),
                new Event("{\"serverName\":\"cdc\"}", "{\"ts_ms\":9000}", HEARTBEATS));

        publisher.handleBatch(batch, committer);

        assertThat(producer.history()).extracting(ProducerRecord::topic, ProducerRecord::key, ProducerRecord::value)
                .containsExactly(
                        tuple(TOPIC, "{\"id\":1}", change("c", 1, 1_000)),
                        tuple(TOPIC, "{\"id\":2}", change("u", 2, 3_000)),
                        tuple(HEARTBEATS, "{\"serverName\":\"cdc\"}", "{\"ts_ms\":9000}"));
        assertThat(committer.processed).containsExactlyElementsOf(batch);
        assertThat(committer.batchFinished).isTrue();
        assertThat(committer.markedBeforeAck).isFalse();
    }

    @Test
    void aTruncateHasNoKeySoItGoesToEveryPartitionOfItsTopicInOrderWithTheChangesAround() throws Exception {
        Node broker = new Node(0, "localhost", 9092);
        List<PartitionInfo> partitions = List.of(0, 1, 2).stream()
                .map(p -> new PartitionInfo(TOPIC, p, broker, new Node[] {broker}, new Node[] {broker})).toList();
        MockProducer<String, String> producer = new MockProducer<>(
                new Cluster("c", List.of(broker), partitions, Set.of(), Set.of()), true, null,
                new StringSerializer(), new StringSerializer());
        Committer committer = new Committer(producer);
        String truncate = "{\"before\":null,\"after\":null,\"op\":\"t\",\"source\":{\"schema\":\"public\","
                + "\"table\":\"docs\",\"ts_ms\":2000,\"lsn\":150}}";
        List<ChangeEvent<String, String>> batch = List.of(
                new Event("{\"id\":1}", change("c", 1, 1_000), TOPIC),
                new Event(null, truncate, TOPIC),
                new Event("{\"id\":2}", change("c", 2, 3_000), TOPIC));

        publisher(producer).handleBatch(batch, committer);

        assertThat(producer.history()).extracting(ProducerRecord::key, ProducerRecord::partition).containsExactly(
                tuple("{\"id\":1}", null), tuple(null, 0), tuple(null, 1), tuple(null, 2), tuple("{\"id\":2}", null));
        assertThat(producer.history().subList(1, 4)).extracting(ProducerRecord::value).containsOnly(truncate);
        assertThat(committer.processed).containsExactlyElementsOf(batch);
    }

    @Test
    void eachRecordIsStampedWithItsSourceCommitTimeAndEachHeartbeatWithItsTimeUnlessAheadOfNow() throws Exception {
        MockProducer<String, String> producer = new MockProducer<>(true, null, new StringSerializer(),
                new StringSerializer());
        String noSource = "{\"before\":null,\"after\":{\"id\":3},\"op\":\"c\"}";
        long tomorrow = System.currentTimeMillis() + 86_400_000;

        publisher(producer).handleBatch(List.of(
                new Event("{\"id\":1}", change("c", 1, 1_000), TOPIC),
                new Event("{\"id\":2}", change("u", 2, 3_000), TOPIC),
                new Event("{\"serverName\":\"cdc\"}", "{\"ts_ms\":9000}", HEARTBEATS),
                new Event("{\"id\":3}", noSource, TOPIC),
                new Event("{\"id\":4}", "not json", TOPIC),
                new Event("{\"id\":5}", change("c", 5, tomorrow), TOPIC)), new Committer(producer));

        // Without a usable time of its own a record keeps Kafka's default, the time it is sent.
        assertThat(producer.history()).extracting(ProducerRecord::key, ProducerRecord::timestamp).containsExactly(
                tuple("{\"id\":1}", 1_000L), tuple("{\"id\":2}", 3_000L),
                tuple("{\"serverName\":\"cdc\"}", 9_000L), tuple("{\"id\":3}", null), tuple("{\"id\":4}", null),
                tuple("{\"id\":5}", null));
    }

    @Test
    void anEventOverTheRecordLimitIsDeadLetteredWithoutItsRowsAndTheBatchGoesOn() throws Exception {
        MockProducer<String, String> producer = new MockProducer<>(false, null, new StringSerializer(),
                new StringSerializer());
        Committer committer = new Committer(producer);
        String large = "{\"before\":null,\"after\":{\"id\":2,\"body\":\"" + "x".repeat(LIMIT) + "\"},\"op\":\"c\","
                + "\"source\":{\"schema\":\"public\",\"table\":\"docs\",\"ts_ms\":2000,\"lsn\":102}}";
        List<ChangeEvent<String, String>> batch = List.of(
                new Event("{\"id\":1}", change("c", 1, 1_000), TOPIC),
                new Event("{\"id\":2}", large, TOPIC),
                new Event("{\"id\":3}", change("c", 3, 3_000), TOPIC));

        publisher(producer).handleBatch(batch, committer);

        assertThat(producer.history()).extracting(ProducerRecord::topic, ProducerRecord::key, ProducerRecord::value)
                .containsExactly(
                        tuple(TOPIC, "{\"id\":1}", change("c", 1, 1_000)),
                        tuple(DLQ, "{\"id\":2}", "{\"op\":\"c\",\"source\":{\"schema\":\"public\",\"table\":\"docs\","
                                + "\"ts_ms\":2000,\"lsn\":102}}"),
                        tuple(TOPIC, "{\"id\":3}", change("c", 3, 3_000)));
        ProducerRecord<String, String> dead = producer.history().get(1);
        assertThat(header(dead, DeadLetterHeaders.ERROR_CLASS)).isEqualTo(OversizedRecordException.class.getName());
        assertThat(header(dead, DeadLetterHeaders.ERROR_MESSAGE)).isEqualTo("record of "
                + (large.length() + 8) + " bytes is over kafka.max.record.bytes (1000), key {\"id\":2}");
        assertThat(header(dead, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(TOPIC);
        assertThat(header(dead, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("-1");
        assertThat(committer.processed).containsExactlyElementsOf(batch);
        assertThat(committer.batchFinished).isTrue();
        assertThat(committer.markedBeforeAck).isFalse();
        assertThat(registry.get("vectorsync.capture.oversized").tag("table", "public.docs").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("vectorsync.capture.records").tag("table", "public.docs").counter().count())
                .isEqualTo(2);
    }

    @Test
    void theProducerMayRequestTheRecordLimitWithRoomForFraming() {
        KafkaConfig kafka = new KafkaConfig("k:9092", 1, (short) 1, new Topics("p"), 600_000);

        assertThat(CdcPublisher.producerProperties(kafka, "c").getProperty("max.request.size"))
                .isEqualTo(Integer.toString(600_000 + 64 * 1024));
    }

    private static String header(ProducerRecord<String, String> record, String key) {
        Header h = record.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void aFailedSendFailsTheBatchAndMarksNothing() {
        RejectingProducer producer = new RejectingProducer();
        Committer committer = new Committer(producer);
        CdcPublisher publisher = publisher(producer);
        List<ChangeEvent<String, String>> batch = List.of(
                new Event("{\"id\":1}", change("c", 1, 1_000), TOPIC),
                new Event("{\"id\":2}", change("c", 2, 2_000), TOPIC));

        assertThatThrownBy(() -> publisher.handleBatch(batch, committer))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Kafka did not acknowledge a change event for topic 'cdc.public.docs' (key {\"id\":1});"
                        + " the batch is not committed and will be read again: only 0 of 1 in-sync replicas")
                .hasCauseInstanceOf(NotEnoughReplicasException.class);
        assertThat(committer.processed).isEmpty();
        assertThat(committer.batchFinished).isFalse();
        assertThat(registry.find("vectorsync.capture.records").counters()).isEmpty();
        assertThat(publisher.lastSourceCommit()).isEmpty();
    }

    @Test
    void nullValuesAreNotSentButStillMarkedProcessed() throws Exception {
        MockProducer<String, String> producer = new MockProducer<>(true, null, new StringSerializer(),
                new StringSerializer());
        Committer committer = new Committer(producer);
        Event tombstone = new Event("{\"id\":1}", null, TOPIC);

        publisher(producer).handleBatch(List.of(tombstone), committer);

        assertThat(producer.history()).isEmpty();
        assertThat(committer.processed).containsExactly(tombstone);
        assertThat(committer.batchFinished).isTrue();
    }

    @Test
    void countsChangesPerTableAndHeartbeatsApart() throws Exception {
        MockProducer<String, String> producer = new MockProducer<>(true, null, new StringSerializer(),
                new StringSerializer());
        CdcPublisher publisher = publisher(producer);

        publisher.handleBatch(List.of(
                new Event("{\"id\":1}", change("r", 1, 1_000), TOPIC),
                new Event("{\"id\":2}", change("r", 2, 1_000), TOPIC),
                new Event("{\"id\":7}", change("c", 7, 1_000), "cdc.inventory.items"),
                new Event("{\"serverName\":\"cdc\"}", "{\"ts_ms\":9000}", HEARTBEATS)),
                new Committer(producer));

        assertThat(registry.get("vectorsync.capture.records").tag("table", "public.docs").counter().count())
                .isEqualTo(2.0);
        assertThat(registry.get("vectorsync.capture.records").tag("table", "inventory.items").counter().count())
                .isEqualTo(1.0);
        assertThat(registry.find("vectorsync.capture.records").counters()).hasSize(2);
        assertThat(registry.get("vectorsync.capture.heartbeats").counter().count()).isEqualTo(1.0);
    }

    @Test
    void keepsTheNewestSourceCommitTimeIgnoringHeartbeats() throws Exception {
        MockProducer<String, String> producer = new MockProducer<>(true, null, new StringSerializer(),
                new StringSerializer());
        CdcPublisher publisher = publisher(producer);

        publisher.handleBatch(List.of(
                new Event("{\"id\":1}", change("c", 1, 5_000), TOPIC),
                new Event("{\"id\":2}", change("c", 2, 4_000), TOPIC),
                new Event("{\"serverName\":\"cdc\"}", "{\"ts_ms\":9000}", HEARTBEATS)),
                new Committer(producer));

        assertThat(publisher.lastSourceCommit()).contains(Instant.ofEpochMilli(5_000));
    }

    @Test
    void snapshotRowsAndNotificationsReachTheListenerInOrderWhileSignalsAndNotificationsStayInProcess()
            throws Exception {
        MockProducer<String, String> producer = new MockProducer<>(true, null, new StringSerializer(),
                new StringSerializer());
        Committer committer = new Committer(producer);
        String signal = "{\"before\":null,\"after\":{\"id\":\"x-open\"},\"op\":\"c\",\"source\":{\"schema\":\"ops\","
                + "\"table\":\"signals\",\"ts_ms\":4000,\"snapshot\":\"false\",\"lsn\":90}}";
        List<ChangeEvent<String, String>> batch = List.of(
                new Event("{\"id\":\"x-open\"}", signal, "cdc.ops.signals"),
                new Event("{\"id\":1}", incremental(1), TOPIC),
                new Event("{\"id\":3}", change("u", 3, 6_000), TOPIC),
                new Event("{\"id\":2}", incremental(2), TOPIC),
                new Event("{\"id\":\"bf-1\"}", notification("TABLE_SCAN_COMPLETED", "public.docs"),
                        DebeziumProperties.NOTIFICATIONS));

        publisher(producer).handleBatch(batch, committer);

        assertThat(producer.history()).extracting(ProducerRecord::key)
                .containsExactly("{\"id\":1}", "{\"id\":3}", "{\"id\":2}");
        assertThat(heard).containsExactly("row public.docs", "row public.docs",
                "TABLE_SCAN_COMPLETED public.docs");
        assertThat(committer.processed).containsExactlyElementsOf(batch);
        assertThat(registry.find("vectorsync.capture.records").tag("table", "ops.signals").counters()).isEmpty();
    }

    @Test
    void changesOfTheHeartbeatTableStayInProcessUncountedYetMarkedSoTheSlotMovesOn() throws Exception {
        MockProducer<String, String> producer = new MockProducer<>(true, null, new StringSerializer(),
                new StringSerializer());
        Committer committer = new Committer(producer);
        CdcPublisher publisher = publisher(producer);
        String beat = "{\"before\":null,\"after\":{\"id\":1,\"ts\":\"2026-01-01T00:00:00Z\"},\"op\":\"u\","
                + "\"source\":{\"schema\":\"ops\",\"table\":\"beats\",\"ts_ms\":8000,\"snapshot\":\"false\","
                + "\"lsn\":120}}";
        List<ChangeEvent<String, String>> batch = List.of(
                new Event("{\"id\":1}", beat.replace("\"u\"", "\"r\""), "cdc.ops.beats"),
                new Event("{\"id\":1}", change("c", 1, 1_000), TOPIC),
                new Event("{\"id\":1}", beat, "cdc.ops.beats"),
                new Event("{\"serverName\":\"cdc\"}", "{\"ts_ms\":9000}", HEARTBEATS));

        publisher.handleBatch(batch, committer);

        assertThat(producer.history()).extracting(ProducerRecord::topic).containsExactly(TOPIC, HEARTBEATS);
        assertThat(committer.processed).containsExactlyElementsOf(batch);
        assertThat(committer.batchFinished).isTrue();
        assertThat(registry.find("vectorsync.capture.records").counters()).extracting(c -> c.getId().getTag("table"))
                .containsExactly("public.docs");
        assertThat(registry.get("vectorsync.capture.heartbeats").counter().count()).isEqualTo(1.0);
        // The heartbeat row's commit time is no change of the captured tables, so it is not their newest.
        assertThat(publisher.lastSourceCommit()).contains(Instant.ofEpochMilli(1_000));
        assertThat(heard).isEmpty();
    }

    /** Which snapshot a row or scan belongs to depends on which signals Debezium has read, in stream order. */
    @Test
    void theListenerHearsOfEveryExecuteSnapshotSignalInStreamOrderButNotOfWatermarks() throws Exception {
        MockProducer<String, String> producer = new MockProducer<>(true, null, new StringSerializer(),
                new StringSerializer());
        Committer committer = new Committer(producer);
        List<ChangeEvent<String, String>> batch = List.of(
                new Event("{\"id\":\"redrive-1\"}", signalRow("c", "redrive-1", "execute-snapshot"), "cdc.ops.signals"),
                new Event("{\"id\":1}", incremental(1), TOPIC),
                new Event("{\"id\":\"w-open\"}", signalRow("c", "w-open", "snapshot-window-open"), "cdc.ops.signals"),
                new Event("{\"id\":\"docs-2\"}", signalRow("c", "docs-2", "execute-snapshot"), "cdc.ops.signals"),
                new Event("{\"id\":\"docs-2\"}", signalRow("d", "docs-2", "execute-snapshot"), "cdc.ops.signals"),
                new Event("{\"id\":2}", incremental(2), TOPIC));

        publisher(producer).handleBatch(batch, committer);

        assertThat(heard).containsExactly("signal redrive-1", "row public.docs", "signal docs-2", "row public.docs");
        assertThat(producer.history()).extracting(ProducerRecord::key).containsExactly("{\"id\":1}", "{\"id\":2}");
        assertThat(committer.processed).containsExactlyElementsOf(batch);
    }

    @Test
    void theListenerHearsNothingOfABatchKafkaRejected() {
        RejectingProducer producer = new RejectingProducer();
        List<ChangeEvent<String, String>> batch = List.of(
                new Event("{\"id\":1}", incremental(1), TOPIC),
                new Event("{\"id\":\"bf-1\"}", notification("TABLE_SCAN_COMPLETED", "public.docs"),
                        DebeziumProperties.NOTIFICATIONS));

        assertThatThrownBy(() -> publisher(producer).handleBatch(batch, new Committer(producer)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(heard).isEmpty();
    }

    @Test
    void aNotificationThatIsNotJsonIsSkipped() throws Exception {
        MockProducer<String, String> producer = new MockProducer<>(true, null, new StringSerializer(),
                new StringSerializer());
        Committer committer = new Committer(producer);
        Event broken = new Event("{}", "not json", DebeziumProperties.NOTIFICATIONS);

        publisher(producer).handleBatch(List.of(broken), committer);

        assertThat(heard).isEmpty();
        assertThat(producer.history()).isEmpty();
        assertThat(committer.processed).containsExactly(broken);
    }

    @Test
    void producerIsIdempotentWaitsForAllReplicasAndTakesTheDefaultRecordLimitWithFraming() {
        Properties p = CdcPublisher.producerProperties(new KafkaConfig("k1:9092", 3, (short) 1, new Topics("vectorsync")), "shop-cdc");

        assertThat(p).containsExactlyInAnyOrderEntriesOf(Map.of(
                "bootstrap.servers", "k1:9092",
                "client.id", "shop-cdc",
                "enable.idempotence", "true",
                "acks", "all",
                "max.request.size", "1065536",
                "key.serializer", "org.apache.kafka.common.serialization.StringSerializer",
                "value.serializer", "org.apache.kafka.common.serialization.StringSerializer"));
    }
}
