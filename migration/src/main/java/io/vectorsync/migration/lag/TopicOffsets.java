package io.vectorsync.migration.lag;

import org.apache.kafka.clients.admin.Admin;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Offsets of topics' partitions, and of a consumer group on them, read with the Kafka admin client. */
final class TopicOffsets {

    /**
     * One partition: the first offset still in its log, the offset its next record will get, and the group's
     * committed offset (null where it never committed).
     */
    record PartitionOffsets(TopicPartition partition, long start, long end, Long committed) {

        /** The first offset the group has not processed: the log's start where it never committed or is behind it. */
        long next() {
            return committed == null ? start : Math.max(committed, start);
        }
    }

    private final Admin admin;
    private final Duration timeout;

    TopicOffsets(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /** @param group the consumer group whose committed offsets are read, or null for none */
    List<PartitionOffsets> read(Collection<String> topics, String group) throws LagReadException {
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(topics,
                new DescribeTopicsOptions().timeoutMs(ms)).topicNameValues();
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            // One topic at a time, so that a missing one is named.
            get(described.get(topic), "the partitions of topic " + topic, "topic " + topic + " does not exist")
                    .partitions()
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        if (partitions.isEmpty()) {
            return List.of();
        }
        String names = String.join(", ", topics);
        // A topic deleted between the calls.
        String gone = "a partition of " + names + " no longer exists";
        Map<TopicPartition, Long> starts = offsets(partitions, OffsetSpec.earliest(), ms, names, gone);
        Map<TopicPartition, Long> ends = offsets(partitions, OffsetSpec.latest(), ms, names, gone);
        Map<TopicPartition, OffsetAndMetadata> committed = group == null ? Map.of()
                : get(admin.listConsumerGroupOffsets(
                        Map.of(group, new ListConsumerGroupOffsetsSpec().topicPartitions(partitions)),
                        new ListConsumerGroupOffsetsOptions().timeoutMs(ms)).partitionsToOffsetAndMetadata(group),
                "the offsets group " + group + " committed on " + names, gone);
        List<PartitionOffsets> out = new ArrayList<>(partitions.size());
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata c = committed.get(tp);
            out.add(new PartitionOffsets(tp, starts.get(tp), ends.get(tp), c == null ? null : c.offset()));
        }
        return out;
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec, int ms, String names,
                                              String gone) throws LagReadException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, Long> out = new HashMap<>();
        get(admin.listOffsets(request, new ListOffsetsOptions().timeoutMs(ms)).all(), "the offsets of " + names, gone)
                .forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    /**
     * Waits for one admin call, turning each way it can fail into a reason a person can act on.
     *
     * @param what    what the call reads, for the messages
     * @param missing the message when Kafka knows no such topic or partition
     */
    private <T> T get(KafkaFuture<T> call, String what, String missing) throws LagReadException {
        try {
            // The call has its own timeout; this bound only guards against a future that never completes.
            return call.get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LagReadException("interrupted while reading " + what, e);
        } catch (TimeoutException e) {
            throw timedOut(what, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UnknownTopicOrPartitionException) {
                throw new LagReadException(missing, cause);
            }
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw timedOut(what, cause);
            }
            throw new LagReadException("Kafka could not tell " + what + ": " + cause.getMessage(), cause);
        } catch (KafkaException e) {
            throw new LagReadException("Kafka could not tell " + what + ": " + e.getMessage(), e);
        }
    }

    private LagReadException timedOut(String what, Throwable cause) {
        return new LagReadException("Kafka did not tell " + what + " within " + timeout.toMillis() + " ms", cause);
    }
}
