package io.vectorsync.connector;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.connector.ConnectorConfig.SnapshotMode;
import io.vectorsync.core.Topics;
import io.vectorsync.core.config.KafkaConfig;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.model.TableId;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
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

@ExtendWith(LocalServers.class)
class CdcConnectorIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static Services servers;
    private static String database;

    private final String suffix = Services.uniqueSuffix();
    private final TableId table = new TableId("public", "docs_" + suffix);
    private final String topic = Topics.cdc(table);
    private final ConnectorConfig config = new ConnectorConfig(servers.pgHost(), servers.pgPort(), database,
            "postgres", "", "slot_" + suffix, "pub_" + suffix, "it.offsets." + suffix, SnapshotMode.INITIAL, 200,
            10000, "vectorsync", new TableId("public", "vectorsync_signal"),
            new TableId("public", "vectorsync_heartbeat"), 1024, 1000);
    private final KafkaConfig kafka = new KafkaConfig(servers.kafkaBootstrap(), 1, (short) 1,
            new Topics("vectorsync"));
    private final List<CdcConnector> connectors = new ArrayList<>();

    /** One change event as read back from Kafka. */
    record Event(String key, String op, long lsn, String snapshot, JsonNode before, JsonNode after) {
        static Event of(ConsumerRecord<String, String> r) {
            JsonNode v = read(r.value());
            JsonNode source = v.get("source");
            return new Event(r.key(), v.get("op").asText(), source.get("lsn").asLong(),
                    source.get("snapshot").asText(), v.get("before"), v.get("after"));
        }
    }

    @BeforeAll
    static void sourceDatabase() throws SQLException {
        servers = LocalServers.get();
        database = servers.freshDatabase("connector_it");
    }

    @AfterEach
    void stopAndDropSlot() throws SQLException {
        connectors.forEach(CdcConnector::close);
        try (Connection c = servers.connect(database)) {
            // The walsender lets go of the slot a moment after the engine stopped; a slot in use cannot be dropped.
            await().atMost(WAIT).until(() -> !slotActive(c));
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?")) {
                s.setString(1, config.slotName());
                s.execute();
            }
        }
    }

    @Test
    void capturesSnapshotAndChangesThenResumesFromKafkaOffsetsWithoutANewSnapshot() throws Exception {
        sql("CREATE TABLE " + table.quoted() + " (id int PRIMARY KEY, title text NOT NULL, price numeric(10,2))",
                "INSERT INTO " + table.quoted() + " VALUES (1, 'one', 1.50), (2, 'two', 2.00), (3, 'three', NULL)");
        createTopic(topic);

        try (KafkaConsumer<String, String> consumer = consumer(topic)) {
            List<Event> events = new ArrayList<>();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            CdcConnector first = start(registry);
            assertThat(first.awaitStarted(WAIT)).isTrue();
            assertThat(first.isRunning()).isTrue();

            awaitEvents(consumer, events, 3);
            sql("INSERT INTO " + table.quoted() + " VALUES (4, 'four', 4.25)",
                    "UPDATE " + table.quoted() + " SET title = 'FOUR' WHERE id = 4",
                    "DELETE FROM " + table.quoted() + " WHERE id = 4");
            awaitEvents(consumer, events, 6);

            assertThat(events).extracting(Event::op).containsExactly("r", "r", "r", "c", "u", "d");
            assertThat(events).extracting(Event::key).containsExactly("{\"id\":1}", "{\"id\":2}", "{\"id\":3}",
                    "{\"id\":4}", "{\"id\":4}", "{\"id\":4}");
            assertThat(events).extracting(e -> e.after() == null || e.after().isNull() ? null : e.after().toString())
                    .containsExactly(
                            "{\"id\":1,\"title\":\"one\",\"price\":\"1.50\"}",
                            "{\"id\":2,\"title\":\"two\",\"price\":\"2.00\"}",
                            "{\"id\":3,\"title\":\"three\",\"price\":null}",
                            "{\"id\":4,\"title\":\"four\",\"price\":\"4.25\"}",
                            "{\"id\":4,\"title\":\"FOUR\",\"price\":\"4.25\"}",
                            null);
            assertThat(events.get(5).before().get("id").asInt()).isEqualTo(4);
            assertThat(events.subList(0, 3)).extracting(Event::snapshot).doesNotContain("false");
            assertThat(events.subList(3, 6)).extracting(Event::snapshot).containsOnly("false");
            assertThat(events.get(3).lsn()).isLessThan(events.get(4).lsn());
            assertThat(events.get(4).lsn()).isLessThan(events.get(5).lsn());
            await().atMost(WAIT).untilAsserted(() -> assertThat(registry.get("vectorsync.capture.records")
                    .tag("table", table.toString()).counter().count()).isEqualTo(6.0));
            assertThat(first.lastSourceCommit()).isPresent();
            assertThat(first.failure()).isEmpty();

            first.close();
            assertThat(first.isRunning()).isFalse();
            sql("INSERT INTO " + table.quoted() + " VALUES (5, 'five', 5.00)");

            CdcConnector second = start(new SimpleMeterRegistry());
            assertThat(second.awaitStarted(WAIT)).isTrue();
            awaitEvents(consumer, events, 7);
            sql("INSERT INTO " + table.quoted() + " VALUES (6, 'six', 6.00)");
            awaitEvents(consumer, events, 8);

            // The snapshot would have come before the row inserted while stopped: nothing but the two inserts came.
            List<Event> resumed = events.subList(6, 8);
            assertThat(resumed).extracting(Event::op).containsExactly("c", "c");
            assertThat(resumed).extracting(Event::key).containsExactly("{\"id\":5}", "{\"id\":6}");
            assertThat(resumed).extracting(e -> e.after().toString()).containsExactly(
                    "{\"id\":5,\"title\":\"five\",\"price\":\"5.00\"}",
                    "{\"id\":6,\"title\":\"six\",\"price\":\"6.00\"}");
            assertThat(events.get(5).lsn()).isLessThan(events.get(6).lsn());
            assertThat(second.failure()).isEmpty();
        }
    }

    @Test
    void heartbeatsArriveOnThePipelinesOwnTopicAndEveryRecordCarriesDebeziumsTime() throws Exception {
        sql("CREATE TABLE " + table.quoted() + " (id int PRIMARY KEY, title text NOT NULL)");
        createTopic(topic);
        KafkaConfig pipeline = new KafkaConfig(servers.kafkaBootstrap(), 1, (short) 1, new Topics("hb_" + suffix));
        String heartbeatTopic = pipeline.topics().heartbeat();
        createTopic(heartbeatTopic);
        ConnectorConfig beating = new ConnectorConfig(servers.pgHost(), servers.pgPort(), database, "postgres", "",
                config.slotName(), config.publicationName(), config.offsetsTopic(), SnapshotMode.INITIAL, 200, 300,
                "vectorsync", config.signalTable(), config.heartbeatTable(), 1024, 1000);
        CdcConnector connector = new CdcConnector(beating, pipeline, List.of(table), new SimpleMeterRegistry());
        connectors.add(connector);

        try (KafkaConsumer<String, String> heartbeats = consumer(heartbeatTopic);
             KafkaConsumer<String, String> changes = consumer(topic)) {
            connector.start();
            assertThat(connector.awaitStarted(WAIT)).isTrue();

            // Nothing changes in the source, and still the connector's heartbeats keep coming.
            List<ConsumerRecord<String, String>> beats = awaitRecords(heartbeats, 3);
            assertThat(beats).allSatisfy(r -> assertThat(r.timestamp())
                    .isEqualTo(read(r.value()).get("ts_ms").asLong()));
            assertThat(beats.get(2).timestamp()).isGreaterThan(beats.get(0).timestamp());

            sql("INSERT INTO " + table.quoted() + " VALUES (1, 'one')");
            ConsumerRecord<String, String> insert = awaitRecords(changes, 1).get(0);
            assertThat(insert.timestamp()).isEqualTo(read(insert.value()).get("source").get("ts_ms").asLong());
            assertThat(connector.failure()).isEmpty();
        }
    }

    @Test
    void anUnreachableSourceStopsTheConnectorAndExposesWhy() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ConnectorConfig unreachable = new ConnectorConfig(servers.pgHost(), closedPort, database, "postgres", "",
                config.slotName(), config.publicationName(), config.offsetsTopic(), SnapshotMode.INITIAL, 200, 10000,
                "vectorsync", config.signalTable(), config.heartbeatTable(), 1024, 1000);
        CdcConnector connector = new CdcConnector(unreachable, kafka, List.of(table), new SimpleMeterRegistry());
        connectors.add(connector);

        connector.start();

        assertThat(connector.awaitStarted(WAIT)).isFalse();
        assertThat(connector.isRunning()).isFalse();
        assertThat(connector.failure()).hasValueSatisfying(f -> assertThat(f).hasMessageContaining(
                String.valueOf(closedPort)));
    }

    private CdcConnector start(SimpleMeterRegistry registry) {
        CdcConnector connector = new CdcConnector(config, kafka, List.of(table), registry);
        connectors.add(connector);
        connector.start();
        return connector;
    }

    private void awaitEvents(KafkaConsumer<String, String> consumer, List<Event> events, int count) {
        await().atMost(WAIT).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(r -> events.add(Event.of(r)));
            return events.size() >= count;
        });
        assertThat(events).hasSize(count);
    }

    private static List<ConsumerRecord<String, String>> awaitRecords(KafkaConsumer<String, String> consumer,
                                                                     int count) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            return records.size() >= count;
        });
        return records;
    }

    private void sql(String... statements) throws SQLException {
        try (Connection c = servers.connect(database); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
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

    private static void createTopic(String name) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafkaBootstrap()))) {
            // One partition, so the test reads every row's events in the order they were produced.
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get();
        }
    }

    private static KafkaConsumer<String, String> consumer(String topic) {
        return BackfillHarness.fromBeginning(servers.kafkaBootstrap(), topic);
    }

    private static JsonNode read(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
