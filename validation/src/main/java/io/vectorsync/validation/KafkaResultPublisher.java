package io.vectorsync.validation;

import io.vectorsync.core.json.Json;
import io.vectorsync.core.validation.ValidationResult;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes each result to the compacted validation topic under {@link ValidationResult#key()}, so the topic keeps
 * the latest result per collection and store, and waits until Kafka acknowledged every one.
 */
public final class KafkaResultPublisher implements ResultPublisher {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Properties producerProperties;
    private final String topic;

    /** @param producerProperties bootstrap servers and delivery settings; serializers are set here */
    public KafkaResultPublisher(Properties producerProperties, String topic) {
        this.producerProperties = new Properties();
        this.producerProperties.putAll(producerProperties);
        this.producerProperties.put("key.serializer", StringSerializer.class.getName());
        this.producerProperties.put("value.serializer", StringSerializer.class.getName());
        this.topic = topic;
    }

    @Override
    public void publish(List<ValidationResult> results) {
        if (results.isEmpty()) {
            return;
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (ValidationResult r : results) {
                sent.add(producer.send(new ProducerRecord<>(topic, r.key(), Json.write(r))));
            }
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            for (Future<RecordMetadata> f : sent) {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new ResultPublishException("could not publish validation results to " + topic + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.toString()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ResultPublishException("interrupted while publishing validation results to " + topic, e);
        } catch (RuntimeException e) {
            throw new ResultPublishException("could not publish validation results to " + topic + ": "
                    + e.getMessage(), e);
        }
    }
}
