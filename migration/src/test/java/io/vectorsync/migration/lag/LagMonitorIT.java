package io.vectorsync.migration.lag;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.core.Topics;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.source.SourceDatabase;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The lag monitor against the real test Kafka and PostgreSQL, with records whose timestamps the test chose. */
@ExtendWith(LocalServers.class)
class LagMonitorIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final LagConfig CONFIG = new LagConfig(Duration.ofMillis(200), Duration.ofSeconds(60),
            Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofSeconds(5));
    private static final SinkName SINK = SinkName.PGVECTOR;

    private static Services servers;
    private static Admin admin;
    private static KafkaProducer<String, String> producer;
    private static String database;
    private static String slot;

    private final String suffix = Services.uniqueSuffix();
    private final Topics topics = new Topics("lagit_" + suffix);
    private final String cdcTopic = "cdc.lagit_" + suffix + ".docs";
    private final String streamsApp = "lagit-streams-" + suffix;
    private final List<LagMonitor> monitors = new ArrayList<>();

    @BeforeAll
    static void connect() throws SQLException {
        servers = LocalServers.get();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafkaBootstrap()));
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
        database = servers.freshDatabase("lag_it");
        slot = "lagit_" + Services.uniqueSuffix();
        try (Connection c = servers.connect(database);
             PreparedStatement s = c.prepareStatement("SELECT pg_create_logical_replication_slot(?, 'pgoutput')")) {
            s.setString(1, slot);
            s.execute();
        }
    }

    @AfterAll
    static void close() throws SQLException {
        producer.close();
        admin.close();
        // A slot nobody reads keeps the server's WAL for ever.
        try (Connection c = servers.connect(database);
             PreparedStatement s = c.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
            s.setString(1, slot);
            s.execute();
        }
    }

    @AfterEach
    void stop() {
        monitors.forEach(LagMonitor::close);
    }

    @Test
    void consumerLagAndEndToEndLagAreThoseOfTheFirstRecordsNotCommitted() throws Exception {
        long base = System.currentTimeMillis();
        createTopics(2);
        produce(topics.sink(SINK), 0, base - 10_000, base - 8_000, base - 6_000);
        produce(topics.sink(SINK), 1, base - 9_000, base - 5_000);
        commit(topics.sinkGroup(SINK), topics.sink(SINK), 1, 1);
        produce(cdcTopic, 0, base - 20_000, base - 19_000);
        commit(streamsApp, cdcTopic, 2);
        produce(topics.heartbeat(), 0, base);
        LagMonitor monitor = start(slot);

        LagSnapshot sinkBehind = sampleStartedAfter(monitor, System.currentTimeMillis());

        assertThat(sinkBehind.state()).isEqualTo(LagState.ACTIVE);
        assertThat(sinkBehind.consumerLagRecords()).isEqualTo(2 + 1);
        // The first record not committed of partition 0 is older than that of partition 1.
        assertThat(sinkBehind.e2eLagMs()).isEqualTo(sinkBehind.atMs() - (base - 8_000));
        assertThat(sinkBehind.problem()).isNull();

        // Now a change the streams worker has not processed yet is older than anything on the sink topic.
        produce(cdcTopic, 0, base - 30_000);
        LagSnapshot upstreamBehind = sampleStartedAfter(monitor, System.currentTimeMillis());

        assertThat(upstreamBehind.state()).isEqualTo(LagState.ACTIVE);
        assertThat(upstreamBehind.e2eLagMs()).isEqualTo(upstreamBehind.atMs() - (base - 30_000));
        assertThat(upstreamBehind.consumerLagRecords()).isEqualTo(3);
    }

    @Test
    void everythingCommittedWithAFreshHeartbeatIsIdleWithNoLag() throws Exception {
        long base = System.currentTimeMillis();
        createTopics(1);
        produce(topics.sink(SINK), 0, base - 3_000, base - 2_000);
        commit(topics.sinkGroup(SINK), topics.sink(SINK), 2);
        produce(cdcTopic, 0, base - 4_000);
        commit(streamsApp, cdcTopic, 1);
        produce(topics.heartbeat(), 0, base - 1_000, base);
        LagMonitor monitor = start(slot);

        LagSnapshot s = sampleStartedAfter(monitor, System.currentTimeMillis());

        assertThat(s.state()).isEqualTo(LagState.IDLE);
        assertThat(s.e2eLagMs()).isZero();
        assertThat(s.consumerLagRecords()).isZero();
        assertThat(s.problem()).isNull();
    }

    @Test
    void aStaleHeartbeatIsStalledWithItsAgeAsLag() throws Exception {
        long base = System.currentTimeMillis();
        createTopics(1);
        long heartbeat = base - 60_000;
        produce(topics.heartbeat(), 0, base - 70_000, heartbeat);
        LagMonitor monitor = start(slot);

        LagSnapshot s = sampleStartedAfter(monitor, System.currentTimeMillis());

        assertThat(s.state()).isEqualTo(LagState.STALLED);
        assertThat(s.e2eLagMs()).isEqualTo(s.atMs() - heartbeat);
        assertThat(s.problem()).isNull();
    }

    @Test
    void noHeartbeatYetRightAfterStartIsStartingWithAnUnknownLagNamingTheTopic() throws Exception {
        createTopics(1);
        LagMonitor monitor = start(slot);

        LagSnapshot s = sampleStartedAfter(monitor, System.currentTimeMillis());

        // Within lag.heartbeat.stale.ms (30 s) of the monitor's start: the connector may simply not be up yet.
        assertThat(s.state()).isEqualTo(LagState.STARTING);
        assertThat(s.e2eLagMs()).isEqualTo(-1);
        assertThat(s.problem()).startsWith("waiting for the connector's first heartbeat on " + topics.heartbeat()
                + " (the lag monitor started ");
    }

    @Test
    void slotLagIsTheWalWrittenSinceTheSlotsConfirmedPosition() throws Exception {
        createTopics(1);
        LagMonitor monitor = start(slot);
        long before = slotLag();
        try (Connection c = servers.connect(database); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS wal_" + suffix + " (id int, body text)");
            s.execute("INSERT INTO wal_" + suffix + " SELECT g, repeat('x', 100) FROM generate_series(1, 1000) g");
        }
        long written = slotLag();

        LagSnapshot s = sampleStartedAfter(monitor, System.currentTimeMillis());
        long after = slotLag();

        assertThat(written).isGreaterThan(before + 100_000);
        // The WAL only grows and nothing confirms on the slot: the sample's reading lies between the test's own.
        assertThat(s.slotLagBytes()).isBetween(written, after);
    }

    @Test
    void aMissingSlotIsMinusOneSayingWhere() throws Exception {
        createTopics(1);
        String missing = "no_such_slot_" + suffix;
        LagMonitor monitor = start(missing);

        LagSnapshot s = sampleStartedAfter(monitor, System.currentTimeMillis());

        assertThat(s.slotLagBytes()).isEqualTo(-1);
        assertThat(s.problem()).contains("replication slot '" + missing + "' does not exist on " + servers.pgHost()
                + ":" + servers.pgPort() + "/" + database);
    }

    @Test
    void aMissingSinkTopicMakesTheLagUnknownSayingWhich() throws Exception {
        admin.createTopics(List.of(new NewTopic(cdcTopic, 1, (short) 1), new NewTopic(topics.heartbeat(), 1,
                (short) 1))).all().get();
        produce(topics.heartbeat(), 0, System.currentTimeMillis());
        LagMonitor monitor = start(slot);

        LagSnapshot s = sampleStartedAfter(monitor, System.currentTimeMillis());

        assertThat(s.state()).isEqualTo(LagState.UNKNOWN);
        assertThat(s.e2eLagMs()).isEqualTo(-1);
        assertThat(s.consumerLagRecords()).isEqualTo(-1);
        assertThat(s.appliedPerSecond()).isEqualTo(-1);
        assertThat(s.problem()).contains("topic " + topics.sink(SINK) + " does not exist");
    }

    private LagMonitor start(String slotName) {
        SlotSource source = new SlotSource(new SourceDatabase(servers.pgHost(), servers.pgPort(), database, "postgres", ""),
                slotName);
        LagMonitor monitor = LagMonitor.start(CONFIG, topics, Set.of(SINK), streamsApp, List.of(cdcTopic), source,
                Map.of("bootstrap.servers", servers.kafkaBootstrap()), Clock.SYSTEM, new SimpleMeterRegistry());
        monitors.add(monitor);
        return monitor;
    }

    /**
     * A snapshot of a sample that began after {@code t}: the one after the first sample to end after it, since a
     * sample begins only once the one before it has ended.
     */
    private static LagSnapshot sampleStartedAfter(LagMonitor monitor, long t) {
        List<LagSnapshot> later = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            later.clear();
            monitor.history(SINK).stream().filter(s -> s.atMs() > t).forEach(later::add);
            return later.size() >= 2;
        });
        return later.get(1);
    }

    private void createTopics(int sinkPartitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topics.sink(SINK), sinkPartitions, (short) 1),
                new NewTopic(cdcTopic, 1, (short) 1), new NewTopic(topics.heartbeat(), 1, (short) 1))).all().get();
    }

    private static void produce(String topic, int partition, long... timestamps) throws Exception {
        for (long ts : timestamps) {
            producer.send(new ProducerRecord<>(topic, partition, ts, "k", "at " + ts)).get();
        }
    }

    /** Commits {@code offsets[i]} on partition i of {@code topic} for {@code group}. */
    private static void commit(String group, String topic, long... offsets) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        for (int p = 0; p < offsets.length; p++) {
            commits.put(new TopicPartition(topic, p), new OffsetAndMetadata(offsets[p]));
        }
        admin.alterConsumerGroupOffsets(group, commits).all().get();
    }

    private static long slotLag() throws SQLException {
        try (Connection c = servers.connect(database); PreparedStatement s = c.prepareStatement(SlotLagReader.QUERY)) {
            s.setString(1, slot);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).as("slot %s exists", slot).isTrue();
                return rs.getLong(1);
            }
        }
    }
}
