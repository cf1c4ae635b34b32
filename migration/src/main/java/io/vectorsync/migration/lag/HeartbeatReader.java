package io.vectorsync.migration.lag;

import io.vectorsync.migration.lag.RecordTimestamps.Range;
import io.vectorsync.migration.lag.TopicOffsets.PartitionOffsets;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** When the connector was last heard of: the timestamp of the newest record on its heartbeat topic. */
final class HeartbeatReader {
    private final TopicOffsets offsets;
    private final RecordTimestamps timestamps;

    HeartbeatReader(TopicOffsets offsets, RecordTimestamps timestamps) {
        this.offsets = offsets;
        this.timestamps = timestamps;
    }

    /** The newest heartbeat's timestamp, empty when the topic holds none. */
    OptionalLong newest(String topic) throws LagReadException {
        Map<TopicPartition, Range> last = new HashMap<>();
        for (PartitionOffsets p : offsets.read(List.of(topic), null)) {
            if (p.end() > p.start()) {
                last.put(p.partition(), new Range(p.end() - 1, p.end()));
            }
        }
        return timestamps.first(last).values().stream().mapToLong(Long::longValue).max();
    }
}
