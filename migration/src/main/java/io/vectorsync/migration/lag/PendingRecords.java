package io.vectorsync.migration.lag;

import io.vectorsync.migration.lag.RecordTimestamps.Range;
import io.vectorsync.migration.lag.TopicOffsets.PartitionOffsets;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * What a consumer group has not processed yet: on each partition where its committed offset is behind the end, the
 * record at that offset is the first one it has not processed, and its timestamp, the source commit time, tells how
 * long it has waited.
 */
final class PendingRecords {
    private final TopicOffsets offsets;
    private final RecordTimestamps timestamps;

    PendingRecords(TopicOffsets offsets, RecordTimestamps timestamps) {
        this.offsets = offsets;
        this.timestamps = timestamps;
    }

    Pending read(String group, Collection<String> topics) throws LagReadException {
        if (topics.isEmpty()) {
            return Pending.caughtUp(0);
        }
        long position = 0;
        Map<TopicPartition, Range> behind = new HashMap<>();
        for (PartitionOffsets p : offsets.read(topics, group)) {
            position += p.next();
            if (p.next() < p.end()) {
                behind.put(p.partition(), new Range(p.next(), p.end()));
            }
        }
        return new Pending(position, timestamps.first(behind).values().stream().mapToLong(Long::longValue).min());
    }
}
