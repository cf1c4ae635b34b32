package io.vectorsync.core.config;

import java.util.List;

/** Where Kafka is and how vectorsync's own topics are created. */
public record KafkaConfig(String bootstrapServers, int partitions, short replicationFactor) {

    public static final ConfigKey<String> BOOTSTRAP = ConfigKey.string("kafka.bootstrap.servers", "127.0.0.1:19092",
            "Kafka bootstrap servers.");
    public static final ConfigKey<Integer> PARTITIONS = ConfigKey.intInRange("kafka.topic.partitions", 3, 1, 1024,
            "Partitions of the topics vectorsync creates (cdc.*, vectorsync.*); more partitions, more parallel workers.");
    public static final ConfigKey<Integer> REPLICATION = ConfigKey.intInRange("kafka.topic.replication.factor", 1, 1,
            32, "Replication factor of the topics vectorsync creates.");
    public static final List<ConfigKey<?>> KEYS = List.of(BOOTSTRAP, PARTITIONS, REPLICATION);

    public static KafkaConfig from(ConfigReader reader) {
        String bootstrap = reader.get(BOOTSTRAP);
        Integer partitions = reader.get(PARTITIONS);
        Integer rf = reader.get(REPLICATION);
        return new KafkaConfig(bootstrap, partitions == null ? 1 : partitions,
                (short) (rf == null ? 1 : rf.intValue()));
    }
}
