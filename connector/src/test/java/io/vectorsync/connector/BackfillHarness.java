package io.vectorsync.connector;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.vectorsync.connector.ConnectorConfig.SnapshotMode;
import io.vectorsync.core.Topics;
import io.vectorsync.core.config.KafkaConfig;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.mode.BackfillProgress;
import io.vectorsync.core.mode.BackfillRequest;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode.StoreRole;
import io.vectorsync.core.model.TableId;
import io.vectorsync.testkit.Services;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One backfill test's world on the shared servers: its own database, table, slot, publication, pipeline name (so its
 * own request, progress and offsets topics) and connectors, and ways to read what arrives.
 */
final class BackfillHarness implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(120);

    final Services servers;
    final String database;
    final TableId table;
    final ConnectorConfig config;
    final KafkaConfig kafka;
    private final List<CdcConnector> connectors = new ArrayList<>();

    /** One change event as read back from the cdc topic. */
    record Event(long offset, String key, String op, String snapshot, JsonNode lsn, JsonNode sequence,
                 JsonNode after) {
        static Event of(ConsumerRecord<String, String> r) {
            JsonNode v = read(r.value());
            JsonNode source = v.get("source");
            return new Event(r.offset(), r.key(), v.get("op").asText(), source.get("snapshot").asText(),
                    source.get("lsn"), read(source.get("sequence").asText()), v.get("after"));
        }

        boolean incremental() {
            return "incremental".equals(snapshot);
        }

        int id() {
            return read(key).get("id").asInt();
        }

        /** The two numbers of {@code source.sequence}: [last commit LSN, LSN]; -1 for null. */
        long sequence(int i) {
            JsonNode n = sequence.get(i);
            return n == null || n.isNull() ? -1 : Long.parseLong(n.asText());
        }
    }

    BackfillHarness(Services servers, String database, int chunkSize) {
        this.servers = servers;
        this.database = database;
        String suffix = Services.uniqueSuffix();
        this.table = new TableId("public", "docs_" + suffix);
        this.config = new ConnectorConfig(servers.pgHost(), servers.pgPort(), database, "postgres", "",
                "slot_" + suffix, "pub_" + suffix, "it.offsets." + suffix, SnapshotMode.INITIAL, 200, 10000,
                "vectorsync", new TableId("public", "vectorsync_signal"),
                new TableId("public", "vectorsync_heartbeat"), chunkSize, 1000);
        this.kafka = new KafkaConfig(servers.kafkaBootstrap(), 1, (short) 1, new Topics("bf_" + suffix));
    }

    /** The table with {@code rows} rows (id 1..rows), and the cdc, request and progress topics. */
    void createTableAndTopics(int rows) throws Exception {
        sql("CREATE TABLE " + table.quoted() + " (id int PRIMARY KEY, title text NOT NULL)",
                "INSERT INTO " + table.quoted() + " SELECT g, 'row ' || g FROM generate_series(1, " + rows + ") g");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            // One partition each, so the test reads every event in the order it was produced.
            admin.createTopics(List.of(new NewTopic(Topics.cdc(table), 1, (short) 1),
                    new NewTopic(kafka.topics().backfillRequests(), 1, (short) 1),
                    new NewTopic(kafka.topics().backfillProgress(), 1, (short) 1))).all().get();
        }
    }

    CdcConnector startConnector(MeterRegistry registry) throws InterruptedException {
        CdcConnector connector = new CdcConnector(config, kafka, List.of(table), registry);
        connectors.add(connector);
        connector.start();
        assertThat(connector.awaitStarted(WAIT)).isTrue();
        await().atMost(WAIT).until(connector::backfillsRunning);
        return connector;
    }

    BackfillRequest request(String backfillId, String collection, TableId requested) {
        return new BackfillRequest(backfillId, collection, requested.toString(), StoreRole.TARGET, SinkName.MILVUS,
                System.currentTimeMillis());
    }

    /** Writes requests as the mode controller does: JSON keyed by collection. */
    void send(BackfillRequest... requests) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(CdcPublisher.producerProperties(kafka,
                "it-mode-controller"))) {
            for (BackfillRequest r : requests) {
                producer.send(new ProducerRecord<>(kafka.topics().backfillRequests(), r.collection(), Json.write(r)))
                        .get();
            }
        }
    }

    KafkaConsumer<String, String> consumer(String topic) {
        return fromBeginning(kafka.bootstrapServers(), topic);
    }

    /** A consumer of partition 0 of {@code topic}, from its beginning, reading committed records only. */
    static KafkaConsumer<String, String> fromBeginning(String bootstrapServers, String topic) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        return consumer;
    }

    static void pollEvents(KafkaConsumer<String, String> consumer, List<Event> into) {
        consumer.poll(Duration.ofMillis(100)).forEach(r -> into.add(Event.of(r)));
    }

    static void pollProgress(KafkaConsumer<String, String> consumer, List<BackfillProgress> into) {
        consumer.poll(Duration.ofMillis(100)).forEach(r -> into.add(Json.read(r.value(), BackfillProgress.class)));
    }

    /** Reads the progress topic up to its current end. */
    static void readToEnd(KafkaConsumer<String, String> consumer, List<BackfillProgress> into) {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        await().atMost(WAIT).until(() -> {
            pollProgress(consumer, into);
            return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
        });
    }

    void sql(String... statements) throws SQLException {
        try (Connection c = servers.connect(database); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    /** id → title of every row of the table. */
    Map<Integer, String> rows() throws SQLException {
        Map<Integer, String> rows = new java.util.TreeMap<>();
        try (Connection c = servers.connect(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, title FROM " + table.quoted())) {
            while (rs.next()) {
                rows.put(rs.getInt(1), rs.getString(2));
            }
        }
        return rows;
    }

    List<String> signals() throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection c = servers.connect(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM public.vectorsync_signal WHERE type = 'execute-snapshot'"
                     + " ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    /** schema.table of every table in the connector's publication. */
    List<String> publishedTables() throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection c = servers.connect(database); PreparedStatement s = c.prepareStatement(
                "SELECT schemaname || '.' || tablename FROM pg_publication_tables WHERE pubname = ?")) {
            s.setString(1, config.publicationName());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
        }
        return tables;
    }

    void stopConnectors() {
        connectors.forEach(CdcConnector::close);
    }

    /** Stops every connector and drops the slot, which the walsender lets go of a moment after the engine stopped. */
    @Override
    public void close() throws SQLException {
        stopConnectors();
        try (Connection c = servers.connect(database)) {
            await().atMost(WAIT).until(() -> !slotActive(c));
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?")) {
                s.setString(1, config.slotName());
                s.execute();
            }
        }
    }

    private boolean slotActive(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM pg_replication_slots WHERE slot_name = ? AND active")) {
            s.setString(1, config.slotName());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        }
    }

    static JsonNode read(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
