package io.vectorsync.connector;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.connector.ConnectorConfig.SnapshotMode;
import io.vectorsync.core.Topics;
import io.vectorsync.core.config.KafkaConfig;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.model.TableId;
import io.vectorsync.core.snapshot.SnapshotProgress;
import io.vectorsync.core.snapshot.SnapshotProgress.State;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

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
 * The initial snapshot of a table of some thousands of rows, on the real PostgreSQL and Kafka: its progress goes
 * up, record by record on the progress topic, to exactly the table's rows, and the expected rows are the exact count
 * from the start (a small table is counted, see {@link RowEstimate}).
 */
@ExtendWith(LocalServers.class)
class InitialSnapshotProgressIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int ROWS = 5_000;

    private static Services servers;
    private static String database;

    private final String suffix = Services.uniqueSuffix();
    private final TableId table = new TableId("public", "snap_" + suffix);
    private final Topics topics = new Topics("snapit" + suffix);
    private final ConnectorConfig config = new ConnectorConfig(servers.pgHost(), servers.pgPort(), database,
            "postgres", "", "slot_" + suffix, "pub_" + suffix, "it.offsets." + suffix, SnapshotMode.INITIAL, 200,
            10000, "vectorsync", new TableId("public", "vectorsync_signal"),
            new TableId("public", "vectorsync_heartbeat"), 1024, 20);
    private final KafkaConfig kafka = new KafkaConfig(servers.kafkaBootstrap(), 1, (short) 1, topics);
    private CdcConnector connector;

    @BeforeAll
    static void sourceDatabase() throws SQLException {
        servers = LocalServers.get();
        database = servers.freshDatabase("snapshot_progress_it");
    }

    @AfterEach
    void stopAndDropSlot() throws SQLException {
        if (connector != null) {
            connector.close();
        }
        try (Connection c = servers.connect(database)) {
            await().atMost(WAIT).until(() -> !slotActive(c));
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?")) {
                s.setString(1, config.slotName());
                s.execute();
            }
        }
    }

    @Test
    void progressOfTheInitialSnapshotGoesUpToEveryRowOfTheTable() throws Exception {
        sql("CREATE TABLE " + table.quoted() + " (id int PRIMARY KEY, title text NOT NULL)",
                "INSERT INTO " + table.quoted() + " SELECT g, 'title ' || g FROM generate_series(1, " + ROWS + ") g");
        createTopics(Topics.cdc(table), topics.snapshotProgress());

        List<SnapshotProgress> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = BackfillHarness.fromBeginning(servers.kafkaBootstrap(),
                topics.snapshotProgress())) {
            connector = new CdcConnector(config, kafka, List.of(table), new SimpleMeterRegistry());
            connector.start();
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    assertThat(r.key()).isEqualTo(table.toString());
                    seen.add(Json.read(r.value(), SnapshotProgress.class));
                });
                return !seen.isEmpty() && seen.get(seen.size() - 1).state() == State.COMPLETED;
            });
        }

        SnapshotProgress done = seen.get(seen.size() - 1);
        assertThat(done.table()).isEqualTo(table.toString());
        assertThat(done.rowsDone()).isEqualTo(ROWS);
        assertThat(done.rowsExpected()).isEqualTo(ROWS);
        assertThat(done.fraction()).isEqualTo(1.0);
        assertThat(done.etaMs()).isZero();
        assertThat(done.ratePerSecond()).isPositive();
        List<SnapshotProgress> running = seen.subList(0, seen.size() - 1);
        assertThat(running).as("progress before the end").isNotEmpty().allSatisfy(p -> {
            assertThat(p.state()).isEqualTo(State.RUNNING);
            assertThat(p.rowsDone()).isBetween(1L, (long) ROWS);
            // A table this small is counted exactly before the first report.
            assertThat(p.rowsExpected()).isEqualTo(ROWS);
            assertThat(p.startedAtMs()).isEqualTo(done.startedAtMs());
        });
        assertThat(seen).extracting(SnapshotProgress::rowsDone).isSorted();
        assertThat(seen).extracting(SnapshotProgress::atMs).isSorted();
        assertThat(connector.snapshotProgress()).extracting(SnapshotProgress::table, SnapshotProgress::state,
                SnapshotProgress::rowsDone, SnapshotProgress::rowsExpected)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(table.toString(), State.COMPLETED,
                        (long) ROWS, (long) ROWS));
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

    private static void createTopics(String... names) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafkaBootstrap()))) {
            admin.createTopics(java.util.Arrays.stream(names).map(n -> new NewTopic(n, 1, (short) 1)).toList())
                    .all().get();
        }
    }
}
