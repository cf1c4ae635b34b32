package io.vectorsync.core.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Consumer lag read with the Kafka admin client: per partition, the end offset minus the group's committed offset
 * (or minus the first offset still in the log, when the group never committed there or committed records retention
 * has since deleted).
 */
public final class KafkaConsumerLag implements ConsumerLag, AutoCloseable {
    private final Admin admin;
    private final Duration timeout;
    private final boolean ownsAdmin;

    /** Lag read through {@code admin}, which the caller keeps and closes. */
    public KafkaConsumerLag(Admin admin, Duration timeout) {
        this(admin, timeout, false);
    }

    private KafkaConsumerLag(Admin admin, Duration timeout, boolean ownsAdmin) {
        this.admin = admin;
        this.timeout = timeout;
        this.ownsAdmin = ownsAdmin;
    }

    /** Lag read through an admin client of its own, closed with this. */
    public static KafkaConsumerLag connect(Map<String, Object> client, Duration timeout) {
        String ms = Long.toString(timeout.toMillis());
        Map<String, Object> config = new java.util.HashMap<>(client);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        Admin admin = Admin.create(config);
        return new KafkaConsumerLag(admin, timeout, true);
    }

    @Override
    public long records(String group, String topic) throws LagUnknownException {
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        TopicDescription description = get(() -> admin.describeTopics(List.of(topic),
                new DescribeTopicsOptions().timeoutMs(ms)).allTopicNames(), topic).get(topic);
        List<TopicPartition> partitions = description.partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        Map<TopicPartition, Long> ends = offsets(partitions, OffsetSpec.latest(), ms, topic);
        Map<TopicPartition, Long> starts = offsets(partitions, OffsetSpec.earliest(), ms, topic);
        Map<TopicPartition, OffsetAndMetadata> committed = get(() -> admin.listConsumerGroupOffsets(
                Map.of(group, new ListConsumerGroupOffsetsSpec().topicPartitions(partitions)),
                new ListConsumerGroupOffsetsOptions().timeoutMs(ms)).partitionsToOffsetAndMetadata(group), topic);
        long lag = 0;
        for (TopicPartition tp : partitions) {
            long start = starts.get(tp);
            OffsetAndMetadata c = committed.get(tp);
            long from = c == null ? start : Math.max(c.offset(), start);
            lag += Math.max(0, ends.get(tp) - from);
        }
        return lag;
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec, int ms, String topic)
            throws LagUnknownException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, Long> out = new HashMap<>();
        get(() -> admin.listOffsets(request, new ListOffsetsOptions().timeoutMs(ms)).all(), topic)
                .forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    /** Waits for one admin call, turning each way it can fail into a reason a person can act on. */
    private <T> T get(Supplier<KafkaFuture<T>> call, String topic) throws LagUnknownException {
        try {
            // The call has its own timeout; this bound only guards against a future that never completes.
            return call.get().get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LagUnknownException("interrupted while reading consumer lag on " + topic, e);
        } catch (TimeoutException e) {
            throw timedOut(e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UnknownTopicOrPartitionException) {
                throw new LagUnknownException("topic " + topic + " does not exist", cause);
            }
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw timedOut(cause);
            }
            throw new LagUnknownException("Kafka could not tell the lag on " + topic + ": " + cause.getMessage(),
                    cause);
        } catch (KafkaException e) {
            throw new LagUnknownException("Kafka could not tell the lag on " + topic + ": " + e.getMessage(), e);
        }
    }

    private LagUnknownException timedOut(Throwable cause) {
        return new LagUnknownException("Kafka did not answer within " + timeout.toMillis() + " ms", cause);
    }

    @Override
    public void close() {
        if (ownsAdmin) {
            admin.close(timeout);
        }
    }
}
