package io.vectorsync.core.config;

import io.vectorsync.core.Topics;
import io.vectorsync.core.model.Identifiers;

import java.util.List;

/** Where Kafka is and how vectorsync's own topics are created. */
public record KafkaConfig(String bootstrapServers, int partitions, short replicationFactor, Topics topics) {

    public static final ConfigKey<String> BOOTSTRAP = ConfigKey.string("kafka.bootstrap.servers", "127.0.0.1:19092",
            "Kafka bootstrap servers.");
    public static final ConfigKey<Integer> PARTITIONS = ConfigKey.intInRange("kafka.topic.partitions", 3, 1, 1024,
            "Partitions of the topics vectorsync creates (cdc.*, vectorsync.*); more partitions, more parallel workers.");
    public static final ConfigKey<Integer> REPLICATION = ConfigKey.intInRange("kafka.topic.replication.factor", 1, 1,
            32, "Replication factor of the topics vectorsync creates.");
    public static final ConfigKey<String> PIPELINE = new ConfigKey<>("pipeline.name", "vectorsync",
            "Prefix of vectorsync's own topics (<name>.sink.<store>, <name>.dlq) and sink consumer groups"
                    + " (<name>-sink-<store>), so several pipelines can share one Kafka cluster.", false, name -> {
                if (!Identifiers.isValid(name.trim())) {
                    throw new IllegalArgumentException("it must match [A-Za-z_][A-Za-z0-9_]*");
                }
                return name.trim();
            });
    public static final List<ConfigKey<?>> KEYS = List.of(BOOTSTRAP, PARTITIONS, REPLICATION, PIPELINE);

    public static KafkaConfig from(ConfigReader reader) {
        return new KafkaConfig(reader.get(BOOTSTRAP), reader.get(PARTITIONS), reader.get(REPLICATION).shortValue(),
                new Topics(reader.get(PIPELINE)));
    }
}
