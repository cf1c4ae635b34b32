package io.vectorsync.app.metrics;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Records on the dead-letter topic read with the admin client: per partition, the end offset minus the first offset
 * still in the log, so it is what the topic holds now, from every process that dead-lettered, not what this
 * process sent. Kept for {@code ttl}, so a scrape and the dashboard's polls share one ask.
 */
public final class KafkaDeadLetterCount implements DeadLetterCount, AutoCloseable {
    private final Admin admin;
    private final String topic;
    private final Duration timeout;
    private final Cached<DeadLetters> cached;

    /** @param client the Kafka client properties ({@code KafkaConfig.clientProperties()}) */
    public KafkaDeadLetterCount(Map<String, Object> client, String topic, Duration timeout, Duration ttl,
                                LongSupplier clock) {
        String ms = Long.toString(timeout.toMillis());
        Map<String, Object> p = new HashMap<>(client);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        this.admin = Admin.create(p);
        this.topic = topic;
        this.timeout = timeout;
        this.cached = new Cached<>(this::read, ttl, clock);
    }

    @Override
    public DeadLetters count() {
        return cached.get();
    }

    private DeadLetters read() {
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            List<TopicPartition> partitions = description.partitions().stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, Long> ends = offsets(partitions, OffsetSpec.latest());
            Map<TopicPartition, Long> starts = offsets(partitions, OffsetSpec.earliest());
            long records = 0;
            for (TopicPartition tp : partitions) {
                records += Math.max(0, ends.get(tp) - starts.get(tp));
            }
            return DeadLetters.counted(records);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DeadLetters.unknown("interrupted while counting the records on " + topic);
        } catch (TimeoutException e) {
            return DeadLetters.unknown("Kafka did not answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return DeadLetters.unknown("topic " + topic + " does not exist");
            }
            return DeadLetters.unknown("Kafka could not count the records on " + topic + ": "
                    + e.getCause().getMessage());
        } catch (KafkaException e) {
            return DeadLetters.unknown("Kafka could not count the records on " + topic + ": " + e.getMessage());
        }
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(request, new ListOffsetsOptions().timeoutMs(ms)).all()
                .get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS)
                .forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    @Override
    public void close() {
        admin.close(timeout);
    }
}
