package io.vectorsync.migration.mode;

import io.vectorsync.core.Topics;
import io.vectorsync.core.config.KafkaConfig;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/** A pipeline of its own on the test Kafka (unique topic names), with an admin client and a producer. */
final class ModeKafka implements AutoCloseable {
    final KafkaConfig kafka;
    final Topics topics;
    private final Admin admin;
    private final KafkaProducer<String, String> producer;
    private final List<String> created = new ArrayList<>();

    ModeKafka(String prefix) {
        String bootstrap = LocalServers.get().kafkaBootstrap();
        this.topics = new Topics(prefix + "_" + Services.uniqueSuffix());
        this.kafka = new KafkaConfig(bootstrap, 1, (short) 1, topics);
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    }

    void createTopics(int partitions, String... names) throws ExecutionException, InterruptedException {
        admin.createTopics(Arrays.stream(names).map(n -> new NewTopic(n, partitions, (short) 1)).toList()).all().get();
        created.addAll(List.of(names));
    }

    /** Deleted with the pipeline's own topics at close. */
    void deleteAtClose(String topic) {
        created.add(topic);
    }

    void send(String topic, String key, String value) throws ExecutionException, InterruptedException {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    void send(String topic, int partition, String key, String value) throws ExecutionException, InterruptedException {
        producer.send(new ProducerRecord<>(topic, partition, key, value)).get();
    }

    @Override
    public void close() {
        producer.close();
        admin.deleteTopics(created);
        admin.close();
    }
}
