package io.vectorsync.app.metrics;

import io.vectorsync.core.json.Json;
import io.vectorsync.core.kafka.TopicFollower;
import io.vectorsync.core.snapshot.SnapshotProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Keeps, from a {@link TopicFollower} on {@code Topics.snapshotProgress()}, the latest initial-snapshot progress per
 * table, for the dashboard, {@code vectorsync status} and the snapshot metrics, wherever the connector runs. A
 * record whose key is not the table it describes is logged and ignored.
 */
public final class SnapshotProgressFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotProgressFollower.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final String topic;
    private final TopicFollower follower;
    private final Map<String, SnapshotProgress> latest = new ConcurrentSkipListMap<>();

    public SnapshotProgressFollower(Map<String, Object> client, String topic) {
        this.topic = topic;
        this.follower = new TopicFollower(client, topic, "snapshot progress", POLL, r -> accept(r.key(), r.value()));
    }

    /** @throws IllegalStateException when the topic does not exist */
    public void start() {
        follower.start();
    }

    /** Every table's latest progress, by table name. */
    public List<SnapshotProgress> all() {
        return List.copyOf(latest.values());
    }

    public Optional<SnapshotProgress> latest(String table) {
        return Optional.ofNullable(latest.get(table));
    }

    void accept(String key, String value) {
        if (key == null) {
            LOG.warn("ignoring a record without key on {}", topic);
            return;
        }
        if (value == null) {
            latest.remove(key);
            return;
        }
        try {
            SnapshotProgress p = Json.read(value, SnapshotProgress.class);
            if (!key.equals(p.table())) {
                LOG.warn("ignoring snapshot progress under key '{}': it is the progress of '{}'", key, p.table());
                return;
            }
            latest.put(key, p);
        } catch (RuntimeException e) {
            LOG.warn("ignoring unreadable snapshot progress under key '{}' on {}: {}", key, topic, e.getMessage());
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
