package io.vectorsync.migration.gate;

import io.vectorsync.core.json.Json;
import io.vectorsync.core.kafka.TopicFollower;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.validation.ValidationResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps, from a {@link TopicFollower} on the validation topic, the latest result per collection and
 * store. No consumer group: every follower reads everything. A record that is not a result of the store and
 * collection its key names is logged and ignored, so one bad record cannot stand in for a validation.
 */
public final class ValidationFollower implements ValidationResults, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ValidationFollower.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final String topic;
    private final TopicFollower follower;
    private final Map<String, ValidationResult> results = new ConcurrentHashMap<>();

    public ValidationFollower(Map<String, Object> client, String topic) {
        this.topic = topic;
        this.follower = new TopicFollower(client, topic, "validation", POLL,
                r -> accept(r.key(), r.value()));
    }

    /** @throws IllegalStateException when the validation topic does not exist */
    public void start() {
        follower.start();
    }

    @Override
    public Optional<ValidationResult> latest(String collection, SinkName store) {
        return Optional.ofNullable(results.get(ValidationResult.key(collection, store)));
    }

    @Override
    public Map<String, ValidationResult> all() {
        return new TreeMap<>(results);
    }

    void accept(String key, String value) {
        if (key == null) {
            LOG.warn("ignoring a record without key on {}", topic);
            return;
        }
        if (value == null) {
            results.remove(key);
            return;
        }
        try {
            ValidationResult result = Json.read(value, ValidationResult.class);
            if (!key.equals(result.key())) {
                LOG.warn("ignoring a validation result under key '{}': it is the result of '{}'", key, result.key());
                return;
            }
            results.put(key, result);
        } catch (RuntimeException e) {
            LOG.warn("ignoring an unreadable validation result under key '{}' on {}: {}", key, topic,
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
