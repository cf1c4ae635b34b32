package io.vectorsync.migration.gate;

import io.vectorsync.core.json.Json;
import io.vectorsync.core.kafka.RetentionGap;
import io.vectorsync.core.kafka.TopicFollower;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps, from a {@link TopicFollower} on the gaps topic, the latest retention gap per collection and store. No
 * consumer group: every follower reads everything. A record whose key is not its gap's is logged and ignored.
 */
public final class RetentionGapFollower implements RetentionGaps, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionGapFollower.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final String topic;
    private final TopicFollower follower;
    private final Map<String, RetentionGap> gaps = new ConcurrentHashMap<>();

    public RetentionGapFollower(Map<String, Object> client, String topic) {
        this.topic = topic;
        this.follower = new TopicFollower(client, topic, "retention-gaps", POLL,
                r -> accept(r.key(), r.value()));
    }

    /** @throws IllegalStateException when the gaps topic does not exist */
    public void start() {
        follower.start();
    }

    public boolean awaitCaughtUp(Duration timeout) {
        return follower.awaitCaughtUp(timeout);
    }

    @Override
    public List<RetentionGap> all() {
        return List.copyOf(gaps.values());
    }

    void accept(String key, String value) {
        if (key == null) {
            return;
        }
        if (value == null) {
            gaps.remove(key);
            return;
        }
        try {
            RetentionGap gap = Json.read(value, RetentionGap.class);
            if (!key.equals(gap.key())) {
                LOG.warn("ignoring a retention gap under key '{}' on {}: it is the gap of '{}'", key, topic, gap.key());
                return;
            }
            gaps.put(key, gap);
        } catch (RuntimeException e) {
            LOG.warn("ignoring an unreadable retention gap under key '{}' on {}: {}", key, topic, e.getMessage());
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
