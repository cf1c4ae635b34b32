package io.vectorsync.migration.gate;

import io.vectorsync.core.json.Json;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.validate.ValidationResult;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Follows the validation topic from its beginning on a daemon thread, keeping the latest result per collection and
 * store. No consumer group: every follower reads everything. A record that is not a result of the store and
 * collection its key names is logged and ignored, so one bad record cannot stand in for a validation.
 */
public final class ValidationFollower implements ValidationResults, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ValidationFollower.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

    private final String topic;
    private final KafkaConsumer<String, String> consumer;
    private final Map<String, ValidationResult> results = new ConcurrentHashMap<>();
    private volatile boolean running;
    private Thread thread;

    public ValidationFollower(String bootstrapServers, String topic) {
        this.topic = topic;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(p);
    }

    /** @throws IllegalStateException when the validation topic does not exist */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("validation follower already started");
        }
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, METADATA_TIMEOUT);
        if (partitions == null || partitions.isEmpty()) {
            consumer.close();
            throw new IllegalStateException("validation topic '" + topic + "' does not exist; it is created with"
                    + " the pipeline's other topics");
        }
        List<TopicPartition> assigned = partitions.stream().map(pi -> new TopicPartition(topic, pi.partition()))
                .toList();
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        running = true;
        thread = new Thread(this::run, "vectorsync-validation-results");
        thread.setDaemon(true);
        thread.start();
        LOG.info("following validation results on {}", topic);
    }

    @Override
    public Optional<ValidationResult> latest(String collection, SinkName store) {
        return Optional.ofNullable(results.get(ValidationResult.key(collection, store)));
    }

    @Override
    public Map<String, ValidationResult> all() {
        return new TreeMap<>(results);
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, String> r : consumer.poll(POLL)) {
                    accept(r.key(), r.value());
                }
            }
        } catch (WakeupException e) {
            // close() woke the poll
        } catch (RuntimeException e) {
            LOG.error("validation follower on {} stopped", topic, e);
        } finally {
            consumer.close();
        }
    }

    void accept(String key, String value) {
        if (key == null) {
            LOG.warn("ignoring a record without key on {}", topic);
            return;
        }
        if (value == null) {
            results.remove(key);
            return;
        }
        try {
            ValidationResult result = Json.read(value, ValidationResult.class);
            if (!key.equals(result.key())) {
                LOG.warn("ignoring a validation result under key '{}': it is the result of '{}'", key, result.key());
                return;
            }
            results.put(key, result);
        } catch (RuntimeException e) {
            LOG.warn("ignoring an unreadable validation result under key '{}' on {}: {}", key, topic,
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            consumer.wakeup();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            consumer.close();
        }
    }
}
