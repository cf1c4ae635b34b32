package io.vectorsync.migration.mode;

import io.vectorsync.core.Topics;
import io.vectorsync.core.config.KafkaConfig;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.mode.RequestOutcome;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Follows the status topic from its beginning on its own daemon thread: the latest {@link ModeStatus} of every
 * collection and the latest {@link RequestOutcome} of each recent request. No consumer group: every follower reads
 * everything, and nothing is committed. Thread-safe.
 */
public final class ModeStatusFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModeStatusFollower.class);
    /** Answers kept, newest last; a client waits for its answer right after sending, so recent ones suffice. */
    static final int OUTCOMES_KEPT = 1000;
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

    private final String topic;
    private final KafkaConsumer<String, String> consumer;
    private final Map<String, ModeStatus> statuses = new ConcurrentHashMap<>();
    /** Guarded by {@link #lock}, like {@link #positions}. */
    private final Map<String, RequestOutcome> outcomes = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RequestOutcome> eldest) {
            return size() > OUTCOMES_KEPT;
        }
    };
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    /** The consumer belongs to the polling thread; other threads ask it for end offsets through this queue. */
    private final Queue<CompletableFuture<Map<TopicPartition, Long>>> endOffsetRequests =
            new ConcurrentLinkedQueue<>();
    private final Object lock = new Object();
    private volatile boolean running;
    private volatile Throwable failure;
    private Thread thread;

    public ModeStatusFollower(KafkaConfig kafka) {
        this.topic = kafka.topics().status();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(p);
    }

    /**
     * Assigns every partition of the status topic, from the beginning, and starts following.
     *
     * @throws IllegalStateException when the status topic does not exist
     */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("mode status follower already started");
        }
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, METADATA_TIMEOUT);
        if (partitions == null || partitions.isEmpty()) {
            consumer.close();
            throw new IllegalStateException("status topic '" + topic + "' does not exist; it is created with the"
                    + " pipeline's other topics");
        }
        List<TopicPartition> assigned = partitions.stream().map(pi -> new TopicPartition(topic, pi.partition()))
                .toList();
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        running = true;
        thread = new Thread(this::run, "vectorsync-mode-status");
        thread.setDaemon(true);
        thread.start();
        LOG.info("following mode statuses on {} ({} partitions)", topic, assigned.size());
    }

    /** The latest status of every collection seen, by name. */
    public Map<String, ModeStatus> statuses() {
        return Collections.unmodifiableMap(new TreeMap<>(statuses));
    }

    public Optional<ModeStatus> status(String collection) {
        return Optional.ofNullable(statuses.get(collection));
    }

    public boolean isRunning() {
        return running && failure == null;
    }

    /** What stopped the follower, or null. */
    public Throwable failure() {
        return failure;
    }

    /** Whether it has read everything the status topic held when this was called, waiting at most {@code timeout}. */
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
        synchronized (lock) {
            while (!reached(ends)) {
                if (!awaitChange(deadline)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The answer to a request, once it is on the status topic; empty when none arrived within {@code timeout}. */
    public Optional<RequestOutcome> awaitOutcome(String requestId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!outcomes.containsKey(requestId)) {
                if (!awaitChange(deadline)) {
                    return Optional.empty();
                }
            }
            return Optional.of(outcomes.get(requestId));
        }
    }

    /** Waits on {@link #lock} for the next batch; false when the deadline passed or the follower stopped. */
    private boolean awaitChange(long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !running) {
            return false;
        }
        try {
            TimeUnit.NANOSECONDS.timedWait(lock, left);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean reached(Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), -1L) >= e.getValue());
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                    apply(record);
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
            LOG.debug("mode status follower woken up to stop");
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("mode status follower failed; statuses are no longer updated", e);
        } finally {
            running = false;
            consumer.close();
            for (CompletableFuture<Map<TopicPartition, Long>> r; (r = endOffsetRequests.poll()) != null; ) {
                r.completeExceptionally(new IllegalStateException("mode status follower stopped"));
            }
            synchronized (lock) {
                lock.notifyAll();
            }
        }
    }

    private void apply(ConsumerRecord<String, String> record) {
        String key = record.key();
        try {
            if (key == null) {
                throw new IllegalArgumentException("no key");
            }
            if (record.value() == null) {
                return; // as routing does: a tombstone leaves the collection in its previous mode
            }
            if (Topics.REQUESTS_KEY.equals(key)) {
                RequestOutcome outcome = Json.read(record.value(), RequestOutcome.class);
                if (outcome == null || outcome.requestId() == null || outcome.result() == null) {
                    throw new IllegalArgumentException("an answer needs request_id and result");
                }
                synchronized (lock) {
                    outcomes.remove(outcome.requestId()); // re-inserted as the newest
                    outcomes.put(outcome.requestId(), outcome);
                }
            } else {
                statuses.put(key, ModeStatus.read(key, record.value()));
            }
        } catch (RuntimeException e) {
            LOG.warn("unreadable record on {}-{} at offset {} (key '{}') skipped: {}", record.topic(),
                    record.partition(), record.offset(), key, e.getMessage());
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
