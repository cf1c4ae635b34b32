package io.vectorsync.sink.runner;

import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.kafka.RetentionGap;
import io.vectorsync.core.model.SinkName;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;

/**
 * Polls a sink's consumer (whose {@code auto.offset.reset} is {@code none}) and decides where it resumes when Kafka
 * has no position for it. A partition the group never committed starts at its beginning, as a new sink should, and
 * that start is committed at once (so a partition that stays empty while the sink runs is still covered). A
 * committed offset below the partition's log start offset means the topic's retention dropped changes the sink never
 * read: each collection of the store is recorded on the gaps topic as needing a backfill (before the sink moves on,
 * so it is never silently skipped), the loss is counted, and the sink resumes at the log start.
 */
final class RetentionGapDetector {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionGapDetector.class);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

    private final Consumer<String, String> consumer;
    private final Producer<String, String> producer;
    private final String gapsTopic;
    private final SinkName store;
    private final List<CollectionMapping> collections;
    private final SinkMetrics metrics;
    private final LongSupplier clock;
    /** Partitions placed at their beginning whose start Kafka has not taken yet. */
    private final Set<TopicPartition> startsToCommit = new HashSet<>();

    RetentionGapDetector(Consumer<String, String> consumer, Producer<String, String> producer, String gapsTopic,
                         SinkName store, List<CollectionMapping> collections, SinkMetrics metrics,
                         LongSupplier clock) {
        this.consumer = consumer;
        this.producer = producer;
        this.gapsTopic = gapsTopic;
        this.store = store;
        this.collections = List.copyOf(collections);
        this.metrics = metrics;
        this.clock = clock;
    }

    /** One poll; nothing is returned by a poll that had to place the consumer first. */
    ConsumerRecords<String, String> poll(Duration timeout) {
        try {
            commitStarts();
            return consumer.poll(timeout);
        } catch (NoOffsetForPartitionException e) {
            start(e.partitions());
        } catch (OffsetOutOfRangeException e) {
            resume(e.offsetOutOfRangePartitions());
        } catch (TimeoutException e) {
            // Kafka is down or slow: the next poll places the consumer again.
            LOG.warn("sink {} could not place its consumer: {}", store, e.getMessage());
        }
        return ConsumerRecords.empty();
    }

    /**
     * Places partitions the group never committed at their beginning and commits that position: a partition that
     * gets no change while this worker runs would otherwise stay uncommitted, and changes that reach it while the
     * sink is stopped and expire unread would look like a new partition's, skipped without a word.
     */
    private void start(Set<TopicPartition> partitions) {
        LOG.info("sink {} has no committed offset on {}: starting at the beginning", store, partitions);
        consumer.seekToBeginning(partitions);
        startsToCommit.addAll(partitions);
        commitStarts();
    }

    /**
     * Commits the log start of the partitions placed at their beginning that still have no committed offset (a
     * batch applied meanwhile committed its own). Kept for the next poll when Kafka does not take it now.
     */
    private void commitStarts() {
        if (startsToCommit.isEmpty()) {
            return;
        }
        startsToCommit.retainAll(consumer.assignment());
        Map<TopicPartition, Long> starts = consumer.beginningOffsets(startsToCommit, KAFKA_TIMEOUT);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(startsToCommit, KAFKA_TIMEOUT);
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : startsToCommit) {
            if (committed.get(tp) == null && starts.containsKey(tp)) {
                offsets.put(tp, new OffsetAndMetadata(starts.get(tp)));
            }
        }
        commit(offsets);
        startsToCommit.clear();
    }

    private void resume(Map<TopicPartition, Long> positions) {
        Map<TopicPartition, Long> starts = consumer.beginningOffsets(positions.keySet(), KAFKA_TIMEOUT);
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (var e : positions.entrySet()) {
            TopicPartition tp = e.getKey();
            long position = e.getValue();
            long start = starts.getOrDefault(tp, 0L);
            if (position < start) {
                record(tp, position, start);
            } else {
                // Past the end: the topic was recreated or truncated. Everything it holds is read again, which the
                // stores' LSN guards make harmless.
                LOG.warn("sink {} was to resume {} at offset {}, past what the topic holds: reading it from its"
                        + " beginning ({})", store, tp, position, start);
            }
            consumer.seek(tp, start);
            offsets.put(tp, new OffsetAndMetadata(start));
        }
        // So that a later restart does not record the same loss again.
        commit(offsets);
    }

    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets, KAFKA_TIMEOUT);
        } catch (RebalanceInProgressException | CommitFailedException e) {
            // The partitions moved on: their next owner finds them where they were and decides again.
            LOG.info("sink {} could not commit its start on {} before a rebalance: {}", store, offsets.keySet(),
                    e.getMessage());
        }
    }

    private void record(TopicPartition tp, long committed, long start) {
        long now = clock.getAsLong();
        for (CollectionMapping c : collections) {
            RetentionGap gap = new RetentionGap(c.name(), store, tp.topic(), tp.partition(), committed, start, now);
            try {
                producer.send(new ProducerRecord<>(gapsTopic, gap.key(), Json.write(gap))).get();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while recording " + gap.describe(), ex);
            } catch (ExecutionException ex) {
                // Resuming without the record would skip the loss silently: the worker stops instead.
                throw new IllegalStateException("could not record on " + gapsTopic + " that " + gap.describe(),
                        ex.getCause());
            }
            LOG.warn("{}; resuming at offset {}", gap.describe(), start);
        }
        metrics.expiredUnread.increment(start - committed);
    }
}
