package io.vectorsync.connector;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.connector.ConnectorConfig.SnapshotMode;
import io.vectorsync.core.Topics;
import io.vectorsync.core.config.KafkaConfig;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The heartbeat table keeps the replication slot at the present while the captured tables are idle and another
 * database of the cluster writes WAL, which pgoutput sends the connector nothing of; and its changes go nowhere.
 */
@ExtendWith(LocalServers.class)
class HeartbeatTableIT {
    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatTableIT.class);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long HEARTBEAT_MS = 500;
    private static final long MIB = 1024 * 1024;
    /** WAL written elsewhere while the captured table is idle: far more than the slot may be behind afterwards. */
    private static final long ELSEWHERE_BYTES = 16 * MIB;
    /**
     * How far behind the server the slot may read once it caught up. Its own heartbeat writes a few hundred bytes;
     * the rest is slack for other tests writing to the shared server at the same moment.
     */
    private static final long CAUGHT_UP_BYTES = MIB;

    private static Services servers;
    private static String database;
    private static String elsewhere;

    private final String suffix = Services.uniqueSuffix();
    private final TableId table = new TableId("public", "docs_" + suffix);
    private final TableId heartbeatTable = new TableId("public", "beat_" + suffix);
    private final ConnectorConfig config = new ConnectorConfig(servers.pgHost(), servers.pgPort(), database,
            "postgres", "", "slot_" + suffix, "pub_" + suffix, "it.offsets." + suffix, SnapshotMode.INITIAL, 100,
            HEARTBEAT_MS, "vectorsync", new TableId("public", "vectorsync_signal"), heartbeatTable, 1024, 1000);
    private final KafkaConfig kafka = new KafkaConfig(servers.kafkaBootstrap(), 1, (short) 1,
            new Topics("hbq_" + suffix));
    private CdcConnector connector;

    /** Where the slot is, and how far behind the server's current WAL position. */
    record SlotPosition(boolean reached, long behindBytes) {
    }

    @BeforeAll
    static void databases() throws SQLException {
        servers = LocalServers.get();
        database = servers.freshDatabase("hbquery_it");
        elsewhere = servers.freshDatabase("hbquery_other");
    }

    @AfterEach
    void stopAndDropSlot() throws SQLException {
        if (connector != null) {
            connector.close();
        }
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
    void theSlotCatchesUpWithWalOfAnotherDatabaseWhileTheCapturedTableIsIdleAndHeartbeatRowsGoNowhere()
            throws Exception {
        sql(database, "CREATE TABLE " + table.quoted() + " (id int PRIMARY KEY, title text NOT NULL)",
                "INSERT INTO " + table.quoted() + " VALUES (1, 'one')");
        String cdcTopic = Topics.cdc(table);
        // Created beforehand, so a heartbeat row published by mistake would land there and be seen.
        String heartbeatTableTopic = Topics.cdc(heartbeatTable);
        createTopics(cdcTopic, heartbeatTableTopic, kafka.topics().heartbeat());
        assertThat(tableExists(heartbeatTable)).isFalse();

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        connector = new CdcConnector(config, kafka, List.of(table), registry);
        connector.start();
        assertThat(connector.awaitStarted(WAIT)).isTrue();
        assertThat(tableExists(heartbeatTable)).as("created at start").isTrue();
        assertThat(publishedTables()).containsExactlyInAnyOrder(table.toString(), heartbeatTable.toString(),
                config.signalTable().toString());
        await().atMost(WAIT).until(() -> heartbeatRows() == 1);

        String start = currentLsn();
        writeWalElsewhere();
        String end = currentLsn();
        long written = lsnDiff(end, start);
        assertThat(written).as("WAL written in database %s", elsewhere).isGreaterThanOrEqualTo(ELSEWHERE_BYTES);

        long waitStart = System.nanoTime();
        AtomicReference<SlotPosition> caughtUp = new AtomicReference<>();
        await().atMost(Duration.ofMillis(30 * HEARTBEAT_MS)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            SlotPosition slot = slot(end);
            assertThat(slot.reached()).as("confirmed_flush_lsn reached %s", end).isTrue();
            assertThat(slot.behindBytes()).isLessThanOrEqualTo(CAUGHT_UP_BYTES);
            caughtUp.set(slot);
        });
        LOG.info("slot caught up with {} bytes of WAL written elsewhere {} ms after the writes ended; {} bytes behind",
                written, Duration.ofNanos(System.nanoTime() - waitStart).toMillis(), caughtUp.get().behindBytes());

        // Only the snapshot of the captured table's one row, and Debezium's own heartbeats, reached Kafka.
        assertThat(readAll(heartbeatTableTopic)).isEmpty();
        assertThat(readAll(cdcTopic)).extracting(ConsumerRecord::key).containsExactly("{\"id\":1}");
        List<ConsumerRecord<String, String>> beats = readAll(kafka.topics().heartbeat());
        assertThat(beats).isNotEmpty().allSatisfy(r -> assertThat(r.value()).matches("\\{\"ts_ms\":\\d+}"));
        assertThat(registry.find("vectorsync.capture.records").counters()).extracting(Counter::getId)
                .extracting(id -> id.getTag("table")).containsExactly(table.toString());
        assertThat(connector.failure()).isEmpty();
    }

    /** Several transactions of 1 KB rows into a table of another database, ELSEWHERE_BYTES and a little more. */
    private static void writeWalElsewhere() throws SQLException {
        sql(elsewhere, "CREATE TABLE IF NOT EXISTS filler (id bigserial PRIMARY KEY, pad text NOT NULL)");
        int rowsPerTransaction = 2_000;
        long transactions = ELSEWHERE_BYTES / (rowsPerTransaction * 1024L) + 1;
        try (Connection c = servers.connect(elsewhere); Statement s = c.createStatement()) {
            for (long i = 0; i < transactions; i++) {
                // md5 keeps the text from being compressed, so each row costs its full size in WAL.
                s.execute("INSERT INTO filler (pad) SELECT string_agg(md5(g::text || '-' || k), '')"
                        + " FROM generate_series(1, " + rowsPerTransaction + ") g, generate_series(1, 32) k"
                        + " GROUP BY g");
            }
        }
    }

    private SlotPosition slot(String target) throws SQLException {
        try (Connection c = servers.connect(database); PreparedStatement s = c.prepareStatement(
                "SELECT confirmed_flush_lsn >= ?::pg_lsn,"
                        + " pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint"
                        + " FROM pg_replication_slots WHERE slot_name = ?")) {
            s.setString(1, target);
            s.setString(2, config.slotName());
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).as("slot %s exists", config.slotName()).isTrue();
                return new SlotPosition(rs.getBoolean(1), rs.getLong(2));
            }
        }
    }

    private static String currentLsn() throws SQLException {
        try (Connection c = servers.connect(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()::text")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long lsnDiff(String to, String from) throws SQLException {
        try (Connection c = servers.connect(database);
             PreparedStatement s = c.prepareStatement("SELECT pg_wal_lsn_diff(?::pg_lsn, ?::pg_lsn)::bigint")) {
            s.setString(1, to);
            s.setString(2, from);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private int heartbeatRows() throws SQLException {
        try (Connection c = servers.connect(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + heartbeatTable.quoted())) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private boolean tableExists(TableId t) throws SQLException {
        try (Connection c = servers.connect(database)) {
            return new HeartbeatTable(t).exists(c);
        }
    }

    private List<String> publishedTables() throws SQLException {
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

    /** Every record of partition 0 of the topic, up to its end as it is now. */
    private static List<ConsumerRecord<String, String>> readAll(String topic) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = BackfillHarness.fromBeginning(servers.kafkaBootstrap(),
                topic)) {
            long end = consumer.endOffsets(consumer.assignment()).values().iterator().next();
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                return consumer.position(consumer.assignment().iterator().next()) >= end;
            });
        }
        return records;
    }

    private static void createTopics(String... names) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafkaBootstrap()))) {
            admin.createTopics(List.of(names).stream().map(n -> new NewTopic(n, 1, (short) 1)).toList()).all().get();
        }
    }

    private static void sql(String db, String... statements) throws SQLException {
        try (Connection c = servers.connect(db); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
