package io.vectorsync.sink.runner;

import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.config.KafkaConfig;
import io.vectorsync.core.config.TombstoneConfig;
import io.vectorsync.sink.api.Sink;
import io.vectorsync.sink.api.SinkUnavailableException;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Moves one sink's topic into its store, in its own consumer group so a slow store never holds the others back.
 * Offsets are committed only after the store committed the batch. When the store is unavailable the batch is
 * retried with doubling backoff while the consumer stays in its group (paused), and nothing is committed until it
 * succeeds; changes delivered best effort (header {@code vectorsync.delivery}) are dead-lettered instead once the
 * attempts run out, see {@link BatchApplier}.
 */
public final class SinkWorker implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SinkWorker.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Sink sink;
    private final SinkWorkerConfig config;
    private final List<CollectionMapping> collections;
    private final String topic;
    private final String group;
    private final SinkMetrics metrics;
    private final Consumer<String, String> consumer;
    private final KafkaProducer<String, String> dlqProducer;
    private final DeadLetterPublisher deadLetters;
    private final BatchApplier applier;
    private final RetentionGapDetector polls;
    private final TombstonePurger tombstones;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean held = new AtomicBoolean(false);
    /** True while the worker polls only to stay in its group (a backoff, a hold): partitions assigned meanwhile are
     * paused on arrival. Read and written on the worker's thread only (the rebalance listener runs inside poll). */
    private boolean waiting;
    private volatile Throwable failure;

    /**
     * @param tombstones how long the store keeps tombstones; the worker purges older ones between batches
     * @param modes      the collections' modes in force, read when a change the store cannot take may be dropped
     */
    public SinkWorker(Sink sink, SinkWorkerConfig config, TombstoneConfig tombstones, KafkaConfig kafka,
                      List<CollectionMapping> collections, SinkMetrics metrics, CurrentModes modes) {
        this(sink, config, tombstones, kafka, collections, metrics, modes, SourcePosition.NONE);
    }

    /** @param source the source's WAL position, to dead-letter changes claiming one it has not reached */
    public SinkWorker(Sink sink, SinkWorkerConfig config, TombstoneConfig tombstones, KafkaConfig kafka,
                      List<CollectionMapping> collections, SinkMetrics metrics, CurrentModes modes,
                      SourcePosition source) {
        this.sink = sink;
        this.config = config;
        this.collections = List.copyOf(collections);
        this.metrics = metrics;
        this.topic = kafka.topics().sink(sink.name());
        this.group = kafka.topics().sinkGroup(sink.name());
        this.consumer = new KafkaConsumer<>(consumerProps(kafka, group, config));
        this.dlqProducer = new KafkaProducer<>(producerProps(kafka));
        this.deadLetters = new DeadLetterPublisher(dlqProducer, kafka.topics().deadLetters());
        this.applier = new BatchApplier(sink, config, metrics, deadLetters, this::pauseFor, running::get,
                modes, source);
        this.polls = new RetentionGapDetector(consumer, dlqProducer, kafka.topics().retentionGaps(), sink.name(),
                collections, metrics, System::currentTimeMillis);
        this.tombstones = new TombstonePurger(sink, tombstones,
                collections.stream().map(CollectionMapping::name).toList(), Clock.systemUTC(), metrics);
    }

    @Override
    public void run() {
        // Every line this thread logs names its store (the "sink" field of JSON logs).
        MDC.put("sink", sink.name().id());
        try {
            prepareCollections();
            consumer.subscribe(List.of(topic), new PauseWhileWaiting());
            LOG.info("sink {} started: topic {}, group {}", sink.name(), topic, group);
            while (running.get()) {
                if (held.get()) {
                    waitWhileHeld();
                    continue;
                }
                ConsumerRecords<String, String> records = polls.poll(POLL);
                if (!records.isEmpty()) {
                    applyUntilDone(records);
                }
                tombstones.purgeIfDue();
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.error("sink {} stopped on an unexpected error", sink.name(), e);
        } finally {
            consumer.close();
            dlqProducer.close();
            sink.close();
            LOG.info("sink {} stopped", sink.name());
            MDC.remove("sink");
        }
    }

    public boolean isRunning() {
        return running.get() && failure == null;
    }

    public Throwable failure() {
        return failure;
    }

    /**
     * Stops applying changes until {@link #release()}: the consumer stays in its group and nothing is committed, so
     * the store falls behind and catches up afterwards without losing a change (unlike a store that is down, where
     * best-effort changes are dropped after the retries). For store maintenance and for drills.
     */
    public void hold() {
        held.set(true);
        LOG.info("sink {} held: no changes are applied until released", sink.name());
    }

    public void release() {
        held.set(false);
        LOG.info("sink {} released", sink.name());
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
    }

    /** Polls with every partition paused, so the group keeps this worker. */
    private void waitWhileHeld() {
        startWaiting();
        try {
            while (running.get() && held.get()) {
                pollWhileWaiting(POLL);
            }
        } finally {
            stopWaiting();
        }
    }

    private void startWaiting() {
        waiting = true;
        consumer.pause(consumer.assignment());
    }

    private void stopWaiting() {
        waiting = false;
        consumer.resume(consumer.paused());
    }

    /**
     * One poll that keeps the worker in its group without taking anything: partitions assigned during it are paused
     * by {@link PauseWhileWaiting}, and should a record come back all the same, its partition is put back to it, so
     * the next real poll delivers it again and no commit moves past it.
     */
    private void pollWhileWaiting(Duration timeout) {
        ConsumerRecords<String, String> records = polls.poll(timeout);
        for (TopicPartition tp : records.partitions()) {
            consumer.seek(tp, records.records(tp).get(0).offset());
        }
        consumer.pause(consumer.assignment());
    }

    /** Pauses partitions assigned while the worker waits; they are resumed with the others when the wait ends. */
    private final class PauseWhileWaiting implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (waiting && !partitions.isEmpty()) {
                consumer.pause(partitions);
                LOG.info("sink {} was assigned {} while waiting; paused until the wait ends", sink.name(),
                        partitions);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Nothing to commit here: offsets are committed only after the store applied a batch.
        }
    }

    private void prepareCollections() {
        for (int attempt = 1; running.get(); attempt++) {
            try {
                for (CollectionMapping c : collections) {
                    sink.prepare(c);
                }
                return;
            } catch (SinkUnavailableException e) {
                Duration wait = config.backoff(attempt);
                LOG.warn("sink {} cannot prepare its collections (attempt {}), retrying in {} ms: {}", sink.name(),
                        attempt, wait.toMillis(), e.getMessage());
                pauseFor(wait);
            }
        }
    }

    private void applyUntilDone(ConsumerRecords<String, String> records) {
        SinkBatch batch = SinkBatch.read(records, (record, error) -> {
            deadLetters.publish(record, error);
            metrics.failed.increment();
        });
        if (applier.applyUntilDone(batch)) {
            // A partition that went to another worker during the retries is that worker's to commit now: it reads
            // from the last committed offset and applies the same changes again, which the LSN guard makes harmless.
            Map<TopicPartition, OffsetAndMetadata> offsets = nextOffsets(records);
            offsets.keySet().retainAll(consumer.assignment());
            if (!offsets.isEmpty()) {
                commit(offsets);
            }
        }
    }

    /**
     * Commits offsets of a batch the store applied. Kafka down past the commit timeout, or a rebalance, leaves them
     * uncommitted, and the worker goes on: its next commit covers them, and should it stop before that, the batch is
     * applied again, which the LSN guard makes harmless. Stopping the worker here would hold the store back for good.
     */
    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        try {
            consumer.commitSync(offsets, config.commitTimeout());
        } catch (TimeoutException | RebalanceInProgressException | CommitFailedException e) {
            metrics.commitsFailed.increment();
            LOG.warn("sink {} applied a batch but Kafka did not take its offsets ({}): going on, the next commit"
                    + " covers them", sink.name(), e.getMessage());
        }
    }

    /**
     * Waits while polling a paused consumer, so the group does not think this worker died. Before the worker has
     * subscribed (preparing its collections) there is no group to stay in, and it just waits.
     */
    private void pauseFor(Duration wait) {
        long until = System.nanoTime() + wait.toNanos();
        if (consumer.subscription().isEmpty()) {
            waitUntil(until);
            return;
        }
        startWaiting();
        try {
            while (running.get() && System.nanoTime() < until) {
                pollWhileWaiting(Duration.ofMillis(Math.min(POLL.toMillis(),
                        Math.max(1, (until - System.nanoTime()) / 1_000_000))));
            }
        } finally {
            stopWaiting();
        }
    }

    private void waitUntil(long until) {
        try {
            while (running.get() && System.nanoTime() < until) {
                Thread.sleep(Math.min(POLL.toMillis(), Math.max(1, (until - System.nanoTime()) / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<String, String> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, String>> rs = records.records(tp);
            offsets.put(tp, new OffsetAndMetadata(rs.get(rs.size() - 1).offset() + 1));
        }
        return offsets;
    }

    private static Properties consumerProps(KafkaConfig kafka, String group, SinkWorkerConfig config) {
        Properties p = kafka.clientPropertiesAsProperties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // Where to resume without a valid committed offset is RetentionGapDetector's decision, not a silent reset.
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(config.batchSize()));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return p;
    }

    private static Properties producerProps(KafkaConfig kafka) {
        Properties p = kafka.clientPropertiesAsProperties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // A dead letter carries a sink record whole: up to kafka.max.record.bytes.
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(kafka.maxRequestBytes()));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return p;
    }
}
