package io.vectorsync.sink.gate;

import io.vectorsync.core.config.ConfigKey;
import io.vectorsync.core.config.ConfigReader;

import java.time.Duration;
import java.util.List;

/**
 * Thresholds of the cutover gate.
 *
 * @param maxConsumerLag most records the target's sink may have left to apply for the gate to open
 * @param kafkaTimeout   bound of each Kafka call the gate makes
 */
public record GateConfig(long maxConsumerLag, Duration kafkaTimeout) {

    public static final ConfigKey<Integer> MAX_CONSUMER_LAG = ConfigKey.intInRange("gate.max.consumer.lag", 100, 0,
            Integer.MAX_VALUE, "Cutover gate: most records the target store's sink worker may have left to apply"
                    + " (its consumer group's lag on its sink topic, all partitions).");
    public static final ConfigKey<Long> KAFKA_TIMEOUT_MS = ConfigKey.positiveLong("gate.kafka.timeout.ms", 5000,
            "Cutover gate: bound of each Kafka call that measures consumer lag, in milliseconds; when Kafka does not"
                    + " answer in time the lag condition fails.");
    public static final List<ConfigKey<?>> KEYS = List.of(MAX_CONSUMER_LAG, KAFKA_TIMEOUT_MS);

    public static GateConfig from(ConfigReader reader) {
        return new GateConfig(reader.get(MAX_CONSUMER_LAG), Duration.ofMillis(reader.get(KAFKA_TIMEOUT_MS)));
    }
}
