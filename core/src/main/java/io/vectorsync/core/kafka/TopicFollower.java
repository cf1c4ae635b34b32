package io.vectorsync.core.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Follows a compacted topic from its beginning on its own daemon thread and hands every record to a handler, which
 * keeps whatever view of the topic its owner needs (the latest mode per collection, the latest validation per
 * store). No consumer group: every follower reads everything, and nothing is committed. Callers can wait until the
 * follower has read what the topic held when they asked ({@link #awaitCaughtUp}) or until the handler's view holds
 * an answer ({@link #await}).
 */
public final class TopicFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

    private final String topic;
    private final String role;
    private final Duration poll;
    private final Map<String, Object> client;
    private final Consumer<ConsumerRecord<String, String>> handler;
    private final KafkaConsumer<String, String> consumer;
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    /** The consumer belongs to the polling thread; other threads ask it for end offsets through this queue. */
    private final Queue<CompletableFuture<Map<TopicPartition, Long>>> endOffsetRequests =
            new ConcurrentLinkedQueue<>();
    private final Object lock = new Object();
    private volatile boolean running;
    private volatile Throwable failure;
    private Thread thread;

    /**
     * @param client the Kafka client properties ({@code KafkaConfig.clientProperties()})
     * @param role what the topic is, for messages and the thread's name ("status", "validation")
     * @param handler called on the follower's thread for every record, in offset order per partition; it must not
     *                throw for a bad record (log and skip it): a throw stops the follower
     */
    public TopicFollower(Map<String, Object> client, String topic, String role, Duration poll,
                         Consumer<ConsumerRecord<String, String>> handler) {
        this.topic = topic;
        this.role = role;
        this.poll = poll;
        this.client = Map.copyOf(client);
        this.handler = handler;
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(p);
    }

    public String topic() {
        return topic;
    }

    /**
     * Assigns every partition of the topic, from the beginning, and starts following.
     *
     * @throws IllegalStateException when the topic does not exist
     */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException(role + " follower already started");
        }
        List<PartitionInfo> partitions;
        try {
            partitions = consumer.partitionsFor(topic, METADATA_TIMEOUT);
        } catch (KafkaException e) {
            consumer.close();
            throw new IllegalStateException(KafkaDenied.explain(e, client, "READ and DESCRIBE", topic)
                    .orElse("cannot read " + role + " topic '" + topic + "': " + e), e);
        }
        if (partitions == null || partitions.isEmpty()) {
            consumer.close();
            throw new IllegalStateException(role + " topic '" + topic + "' does not exist; it is created with the"
                    + " pipeline's other topics");
        }
        List<TopicPartition> assigned = partitions.stream().map(pi -> new TopicPartition(topic, pi.partition()))
                .toList();
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        running = true;
        thread = new Thread(this::run, "vectorsync-" + role + "-follower");
        thread.setDaemon(true);
        thread.start();
        LOG.info("following {} records on {} ({} partitions)", role, topic, assigned.size());
    }

    public boolean isRunning() {
        return running && failure == null;
    }

    /** What stopped the follower, or null. */
    public Throwable failure() {
        return failure;
    }

    /** Whether it has read everything the topic held when this was called, waiting at most {@code timeout}. */
    public boolean awaitCaughtUp(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!running) {
            return false;
        }
        CompletableFuture<Map<TopicPartition, Long>> request = new CompletableFuture<>();
        endOffsetRequests.add(request);
        Map<TopicPartition, Long> ends;
        try {
            ends = request.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return await(() -> reached(ends) ? Optional.of(true) : Optional.empty(), deadline).orElse(false);
    }

    /**
     * Waits until {@code probe} answers, checking after every batch the follower reads; empty when none came
     * within {@code timeout} or the follower stopped.
     */
    public <T> Optional<T> await(Supplier<Optional<T>> probe, Duration timeout) {
        return await(probe, System.nanoTime() + timeout.toNanos());
    }

    private <T> Optional<T> await(Supplier<Optional<T>> probe, long deadline) {
        synchronized (lock) {
            while (true) {
                Optional<T> answer = probe.get();
                if (answer.isPresent()) {
                    return answer;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !running) {
                    return Optional.empty();
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
        }
    }

    /** Called under {@link #lock}. */
    private boolean reached(Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), -1L) >= e.getValue());
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(poll)) {
                    handler.accept(record);
                }
                Map<TopicPartition, Long> now = new HashMap<>();
                for (TopicPartition tp : consumer.assignment()) {
                    now.put(tp, consumer.position(tp));
                }
                if (!endOffsetRequests.isEmpty()) {
                    Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
                    for (CompletableFuture<Map<TopicPartition, Long>> r; (r = endOffsetRequests.poll()) != null; ) {
                        r.complete(ends);
                    }
                }
                synchronized (lock) {
                    positions.putAll(now);
                    lock.notifyAll();
                }
            }
        } catch (WakeupException e) {
            LOG.debug("{} follower woken up to stop", role);
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("{} follower on {} failed; its view is no longer updated", role, topic, e);
        } finally {
            running = false;
            consumer.close();
            for (CompletableFuture<Map<TopicPartition, Long>> r; (r = endOffsetRequests.poll()) != null; ) {
                r.completeExceptionally(new IllegalStateException(role + " follower stopped"));
            }
            synchronized (lock) {
                lock.notifyAll();
            }
        }
    }

    @Override
    public synchronized void close() {
        if (thread == null) {
            consumer.close();
            return;
        }
        running = false;
        consumer.wakeup();
        try {
            thread.join(METADATA_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
