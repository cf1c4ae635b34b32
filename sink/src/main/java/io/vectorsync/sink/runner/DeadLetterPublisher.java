package io.vectorsync.sink.runner;

import io.vectorsync.core.DeadLetterHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.concurrent.ExecutionException;

/** Sends a record the sink can never apply to the dead-letter topic, with the reason and its origin. */
final class DeadLetterPublisher {
    private final Producer<String, String> producer;
    private final String topic;

    DeadLetterPublisher(Producer<String, String> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /** Blocks until Kafka has the dead letter: its source offset is committed right after. */
    void publish(ConsumerRecord<String, String> origin, Exception reason) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, null, origin.key(), origin.value(),
                DeadLetterHeaders.of(reason, origin.topic(), origin.partition(), origin.offset()));
        try {
            producer.send(record).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering " + origin.topic() + "@"
                    + origin.offset(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not dead-letter " + origin.topic() + "@" + origin.offset(),
                    e.getCause());
        }
    }
}
