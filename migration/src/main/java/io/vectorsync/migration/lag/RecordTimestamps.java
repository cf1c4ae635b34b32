package io.vectorsync.migration.lag;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kafka timestamps of the records at given offsets, fetched by a consumer of no group (assign and seek), so reading
 * them never disturbs the group that processes them. Used by one thread at a time.
 */
final class RecordTimestamps implements AutoCloseable {

    /** The offsets {@code [from, end)} of one partition to look in. */
    record Range(long from, long end) {
    }

    private final Consumer<byte[], byte[]> consumer;
    private final Duration timeout;

    RecordTimestamps(Consumer<byte[], byte[]> consumer, Duration timeout) {
        this.consumer = consumer;
        this.timeout = timeout;
    }

    static RecordTimestamps connect(Map<String, Object> client, String clientId, Duration timeout) {
        String ms = Long.toString(timeout.toMillis());
        Map<String, Object> config = new HashMap<>(client);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // An offset retention removed meanwhile: the first record still there is the oldest one left.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // One record per partition is all a sample needs; a batch bigger than this still comes whole.
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 65_536);
        config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new RecordTimestamps(new KafkaConsumer<>(config), timeout);
    }

    /**
     * For each partition the timestamp of the first record in its range. A partition whose range holds no record
     * (only transaction markers, or compaction removed them) is left out.
     *
     * @throws LagReadException when some partition gave nothing within the timeout
     */
    Map<TopicPartition, Long> first(Map<TopicPartition, Range> ranges) throws LagReadException {
        Map<TopicPartition, Long> found = new HashMap<>();
        if (ranges.isEmpty()) {
            return found;
        }
        Set<TopicPartition> open = new HashSet<>(ranges.keySet());
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            consumer.assign(ranges.keySet());
            ranges.forEach((tp, r) -> consumer.seek(tp, r.from()));
            while (!open.isEmpty()) {
                long left = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
                if (left <= 0) {
                    throw new LagReadException("Kafka sent no record of " + open + " within " + timeout.toMillis()
                            + " ms");
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(Math.min(left, 200)));
                for (TopicPartition tp : List.copyOf(open)) {
                    Range range = ranges.get(tp);
                    for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
                        if (r.offset() >= range.from() && r.offset() < range.end()) {
                            found.put(tp, r.timestamp());
                            break;
                        }
                    }
                    if (found.containsKey(tp) || consumer.position(tp, Duration.ofMillis(left)) >= range.end()) {
                        open.remove(tp);
                        // Fetching further records of a partition already answered would only cost.
                        consumer.pause(List.of(tp));
                    }
                }
            }
            return found;
        } catch (InterruptException e) {
            throw new LagReadException("interrupted while reading records of " + ranges.keySet(), e);
        } catch (KafkaException e) {
            throw new LagReadException("Kafka could not send the records of " + ranges.keySet() + ": "
                    + e.getMessage(), e);
        } finally {
            consumer.unsubscribe();
        }
    }

    @Override
    public void close() {
        consumer.close(timeout);
    }
}
