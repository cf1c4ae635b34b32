package io.vectorsync.migration.gate;

import io.vectorsync.core.Topics;
import io.vectorsync.core.kafka.KafkaConsumerLag;
import io.vectorsync.core.kafka.LagUnknownException;
import io.vectorsync.core.mode.Backfill;
import io.vectorsync.core.mode.GateVerdict.Condition;
import io.vectorsync.core.mode.GateVerdict;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode.StoreRole;
import io.vectorsync.core.model.StorageMode;
import io.vectorsync.migration.lag.LagSnapshot;
import io.vectorsync.migration.lag.LagView;
import io.vectorsync.migration.lag.LagWindowStats;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Consumer lag and the gate's lag condition against the real test Kafka. */
@ExtendWith(LocalServers.class)
class KafkaConsumerLagIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static Admin admin;
    private static KafkaProducer<String, String> producer;
    private static KafkaConsumerLag lag;

    @BeforeAll
    static void connect() {
        String bootstrap = LocalServers.get().kafkaBootstrap();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
        lag = KafkaConsumerLag.connect(Map.of("bootstrap.servers", bootstrap), TIMEOUT);
    }

    @AfterAll
    static void close() {
        lag.close();
        producer.close();
        admin.close();
    }

    @Test
    void lagIsTheRecordsProducedMinusTheOffsetsCommitted() throws Exception {
        String topic = topic(1);
        String group = "lag-group-" + Services.uniqueSuffix();
        produce(topic, 0, 10);
        commit(group, Map.of(new TopicPartition(topic, 0), 4L));

        assertThat(lag.records(group, topic)).isEqualTo(6);

        commit(group, Map.of(new TopicPartition(topic, 0), 10L));
        assertThat(lag.records(group, topic)).isZero();
    }

    @Test
    void lagIsSummedOverPartitionsAndAPartitionNeverCommittedCountsWhole() throws Exception {
        String topic = topic(3);
        String group = "lag-group-" + Services.uniqueSuffix();
        produce(topic, 0, 10);
        produce(topic, 1, 5);
        produce(topic, 2, 7);
        commit(group, Map.of(new TopicPartition(topic, 0), 4L, new TopicPartition(topic, 1), 5L));

        assertThat(lag.records(group, topic)).isEqualTo(6 + 0 + 7);
    }

    @Test
    void aGroupThatNeverCommittedIsBehindByTheWholeTopic() throws Exception {
        String topic = topic(2);
        produce(topic, 0, 3);
        produce(topic, 1, 4);

        assertThat(lag.records("never-" + Services.uniqueSuffix(), topic)).isEqualTo(7);
    }

    @Test
    void anEmptyTopicHasNoLag() throws Exception {
        assertThat(lag.records("never-" + Services.uniqueSuffix(), topic(1))).isZero();
    }

    @Test
    void aMissingTopicIsReportedNotTakenForZero() {
        String topic = "no_such_topic_" + Services.uniqueSuffix();

        assertThatThrownBy(() -> lag.records("g", topic)).isInstanceOf(LagUnknownException.class)
                .hasMessage("topic " + topic + " does not exist");
    }

    @Test
    void unreachableKafkaIsReportedWithinTheTimeout() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (KafkaConsumerLag nowhere = KafkaConsumerLag.connect(Map.of("bootstrap.servers", "127.0.0.1:" + closedPort), Duration.ofMillis(500))) {
            assertThatThrownBy(() -> nowhere.records("g", "t")).isInstanceOf(LagUnknownException.class)
                    .hasMessage("Kafka did not answer within 500 ms");
        }
    }

    @Test
    void theGateRefusesCutoverWhileTheTargetSinkIsBehindOnRealKafka() throws Exception {
        Topics topics = new Topics("gate_" + Services.uniqueSuffix());
        String topic = topics.sink(SinkName.NEO4J);
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        produce(topic, 0, 3);
        ModeStatus status = new ModeStatus("docs", StorageMode.DUAL_WRITE, 2, SinkName.PGVECTOR, SinkName.NEO4J, 1,
                "ana", "migrate", false, new Backfill("bf", StoreRole.TARGET, SinkName.NEO4J,
                Backfill.State.COMPLETED, 3, 3, 1, 2), null);
        GateConfig config = new GateConfig(2, TIMEOUT, Duration.ofSeconds(10), Duration.ofSeconds(60), 1024,
                Duration.ofHours(1), 1.0, 0.8, 0);
        ThresholdCutoverGate gate = new ThresholdCutoverGate(config, topics, lag, new NoLag(), ValidationResults.none(), c -> null,
                System::currentTimeMillis);

        GateVerdict behind = gate.check(status);
        commit(topics.sinkGroup(SinkName.NEO4J), Map.of(new TopicPartition(topic, 0), 1L));
        GateVerdict caughtUp = gate.check(status);

        assertThat(behind.open()).isFalse();
        assertThat(behind.conditions())
                .contains(new Condition("target consumer lag (neo4j)", false, "3 records", "2 records"));
        assertThat(caughtUp.conditions())
                .contains(new Condition("target consumer lag (neo4j)", true, "2 records", "2 records"));
    }

    /** A lag monitor that has measured nothing: only the consumer-lag condition is under test here. */
    private static final class NoLag implements LagView {
        @Override
        public Optional<LagSnapshot> latest(SinkName sink) {
            return Optional.empty();
        }

        @Override
        public List<LagSnapshot> history(SinkName sink) {
            return List.of();
        }

        @Override
        public LagWindowStats window(SinkName sink, Duration window) {
            return LagWindowStats.empty(window.toMillis());
        }
    }

    private static String topic(int partitions) throws Exception {
        String topic = "lag_" + Services.uniqueSuffix();
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        return topic;
    }

    private static void produce(String topic, int partition, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            producer.send(new ProducerRecord<>(topic, partition, "k" + i, "v" + i)).get();
        }
    }

    private static void commit(String group, Map<TopicPartition, Long> offsets) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        offsets.forEach((tp, o) -> commits.put(tp, new OffsetAndMetadata(o)));
        admin.alterConsumerGroupOffsets(group, commits).all().get();
    }
}
