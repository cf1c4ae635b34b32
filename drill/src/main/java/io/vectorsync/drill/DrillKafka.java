package io.vectorsync.drill;

import io.vectorsync.core.config.KafkaConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.util.HashMap;
import java.util.Map;

/**
 * The properties of the drill's own Kafka clients (the fault injector's producer of hostile records, the audit's
 * dead-letter reader, the admin that clears old CDC topics): the pipeline's {@link KafkaConfig#clientProperties()}
 * — bootstrap servers and every {@code kafka.client.*} security property, as the service's clients take them — plus
 * what each drill client needs. So a drill configured for a SASL/TLS broker talks to it as the service does.
 */
final class DrillKafka {
    private DrillKafka() {
    }

    /** The injector's producer: every hostile record acknowledged by all replicas, with room for a broker restart. */
    static Map<String, Object> producer(KafkaConfig kafka) {
        Map<String, Object> p = new HashMap<>(kafka.clientProperties());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
        return p;
    }

    /** The audit's reader of the dead-letter topic: assigned partitions, nothing committed, large records allowed. */
    static Map<String, Object> consumer(KafkaConfig kafka) {
        Map<String, Object> p = new HashMap<>(kafka.clientProperties());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(64 << 20));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(64 << 20));
        return p;
    }

    /** The admin that deletes what an earlier run left in the CDC topics. */
    static Map<String, Object> admin(KafkaConfig kafka) {
        return new HashMap<>(kafka.clientProperties());
    }
}
