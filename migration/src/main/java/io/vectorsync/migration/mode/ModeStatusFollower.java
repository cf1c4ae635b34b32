package io.vectorsync.migration.mode;

import io.vectorsync.core.Topics;
import io.vectorsync.core.config.KafkaConfig;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.kafka.TopicFollower;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.mode.RequestOutcome;
import io.vectorsync.core.mode.StatusSuccession;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest {@link ModeStatus} of every collection and the latest {@link RequestOutcome} of each recent request,
 * read from the status topic by a {@link TopicFollower}. A status that may not follow the one held
 * ({@link StatusSuccession}: an older epoch, or another mode under the same epoch) is ignored with a WARN. Thread-safe.
 */
public final class ModeStatusFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModeStatusFollower.class);
    /** Answers kept, newest last; a client waits for its answer right after sending, so recent ones suffice. */
    static final int OUTCOMES_KEPT = 1000;
    private static final Duration POLL = Duration.ofMillis(100);

    private final TopicFollower follower;
    private final Map<String, ModeStatus> statuses = new ConcurrentHashMap<>();
    private final Map<String, RequestOutcome> outcomes = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RequestOutcome> eldest) {
            return size() > OUTCOMES_KEPT;
        }
    });

    public ModeStatusFollower(KafkaConfig kafka) {
        this.follower = new TopicFollower(kafka.clientProperties(), kafka.topics().status(), "status", POLL,
                this::apply);
    }

    /**
     * Assigns every partition of the status topic, from the beginning, and starts following.
     *
     * @throws IllegalStateException when the status topic does not exist
     */
    public void start() {
        follower.start();
    }

    /** The latest status of every collection seen, by name. */
    public Map<String, ModeStatus> statuses() {
        return Collections.unmodifiableMap(new TreeMap<>(statuses));
    }

    public Optional<ModeStatus> status(String collection) {
        return Optional.ofNullable(statuses.get(collection));
    }

    public boolean isRunning() {
        return follower.isRunning();
    }

    /** What stopped the follower, or null. */
    public Throwable failure() {
        return follower.failure();
    }

    /** Whether it has read everything the status topic held when this was called, waiting at most {@code timeout}. */
    public boolean awaitCaughtUp(Duration timeout) {
        return follower.awaitCaughtUp(timeout);
    }

    /** The answer to a request, once it is on the status topic; empty when none arrived within {@code timeout}. */
    public Optional<RequestOutcome> awaitOutcome(String requestId, Duration timeout) {
        return follower.await(() -> Optional.ofNullable(outcomes.get(requestId)), timeout);
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
                synchronized (outcomes) {
                    outcomes.remove(outcome.requestId()); // re-inserted as the newest
                    outcomes.put(outcome.requestId(), outcome);
                }
            } else {
                ModeStatus next = ModeStatus.read(key, record.value());
                Optional<String> refusal = StatusSuccession.refusal(statuses.get(key), next);
                if (refusal.isPresent()) {
                    LOG.warn("status of collection '{}' on {}-{} at offset {} ignored (epoch {}, applied epoch {}):"
                            + " {}; a replayed or forged record, not written by the mode controller in order",
                            key, record.topic(), record.partition(), record.offset(), next.epoch(),
                            statuses.get(key).epoch(), refusal.get());
                    return;
                }
                statuses.put(key, next);
            }
        } catch (RuntimeException e) {
            LOG.warn("unreadable record on {}-{} at offset {} (key '{}') skipped: {}", record.topic(),
                    record.partition(), record.offset(), key, e.getMessage());
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
