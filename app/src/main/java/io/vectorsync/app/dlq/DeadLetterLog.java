package io.vectorsync.app.dlq;

import io.vectorsync.connector.CdcPublisher;
import io.vectorsync.core.config.KafkaConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Reads the dead-letter topic from its start to its current end, and reads and writes the marks topic
 * ({@link io.vectorsync.core.Topics#deadLetterMarks()}). No consumer group: reading commits nothing.
 */
public final class DeadLetterLog {
    /** How often reading reports its progress, in records. */
    public static final long PROGRESS_EVERY = 10_000;

    private final KafkaConfig kafka;
    private final Duration timeout;

    public DeadLetterLog(KafkaConfig kafka, Duration timeout) {
        this.kafka = kafka;
        this.timeout = timeout;
    }

    /**
     * Hands every dead letter now on the topic to {@code each}, in partition then offset order, and the number read
     * so far to {@code progress} every {@value #PROGRESS_EVERY} records. A missing topic holds none.
     *
     * @return how many were read
     */
    public long forEach(Consumer<DeadLetter> each, LongConsumer progress) {
        return scan(kafka.topics().deadLetters(), r -> each.accept(DeadLetter.of(r)), progress);
    }

    /** The latest mark of each dead letter, by coordinates; a tombstone or unreadable mark counts as none. */
    public Map<String, Mark> marks() {
        Map<String, Mark> marks = new HashMap<>();
        scan(kafka.topics().deadLetterMarks(), r -> {
            if (r.value() == null) {
                marks.remove(r.key());
                return;
            }
            try {
                marks.put(r.key(), Mark.parse(r.value()));
            } catch (IllegalArgumentException e) {
                marks.remove(r.key());
            }
        }, n -> { });
        return marks;
    }

    /** Writes the marks, keyed by coordinates; returns once Kafka has them all. The topic must exist. */
    public void mark(Map<String, Mark> marks) {
        if (marks.isEmpty()) {
            return;
        }
        String topic = kafka.topics().deadLetterMarks();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                CdcPublisher.producerProperties(kafka, "vectorsync-dlq-marks"))) {
            List<Future<RecordMetadata>> sends = new ArrayList<>(marks.size());
            marks.forEach((coordinates, mark) -> sends.add(producer.send(new ProducerRecord<>(topic, coordinates,
                    mark.toJson()))));
            producer.flush();
            for (Future<RecordMetadata> send : sends) {
                send.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not write marks to " + topic + " at " + kafka.bootstrapServers()
                    + ": " + (e.getCause() != null ? e.getCause().getMessage() : e.toString()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing marks to " + topic, e);
        }
    }

    private long scan(String topic, Consumer<ConsumerRecord<String, String>> each, LongConsumer progress) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProperties())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                return 0;
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition()))
                    .sorted(java.util.Comparator.comparingInt(TopicPartition::partition)).toList();
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            long read = 0;
            // One partition at a time, so dead letters come in partition then offset order.
            for (TopicPartition tp : partitions) {
                long end = ends.getOrDefault(tp, 0L);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                long deadline = System.nanoTime() + timeout.toNanos();
                while (consumer.position(tp, timeout) < end) {
                    var records = consumer.poll(Duration.ofMillis(500));
                    if (records.isEmpty() && System.nanoTime() > deadline) {
                        throw new IllegalStateException("could not read " + tp + " to offset " + end + " within "
                                + timeout.toSeconds() + " s from " + kafka.bootstrapServers());
                    }
                    for (ConsumerRecord<String, String> r : records) {
                        if (r.offset() >= end) {
                            break;
                        }
                        each.accept(r);
                        if (++read % PROGRESS_EVERY == 0) {
                            progress.accept(read);
                        }
                    }
                    if (!records.isEmpty()) {
                        deadline = System.nanoTime() + timeout.toNanos();
                    }
                }
            }
            return read;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new IllegalStateException("Kafka at " + kafka.bootstrapServers() + " did not answer within "
                    + timeout.toSeconds() + " s reading " + topic + ": " + e.getMessage(), e);
        }
    }

    private Properties consumerProperties() {
        Properties p = kafka.clientPropertiesAsProperties();
        p.setProperty(ConsumerConfig.CLIENT_ID_CONFIG, "vectorsync-dlq");
        p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return p;
    }
}
