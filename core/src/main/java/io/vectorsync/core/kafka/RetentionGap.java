package io.vectorsync.core.kafka;

import io.vectorsync.core.model.SinkName;

import java.time.Instant;

/**
 * Changes a sink never read: its committed offset on a partition of its topic had fallen below the partition's log
 * start offset (the topic's retention dropped them) when it resumed. The collection must be backfilled into the store:
 * until then the store may miss or hold stale documents, and nothing else would tell.
 *
 * @param committedOffset where the sink was to resume
 * @param logStartOffset  the first offset the topic still held
 */
public record RetentionGap(String collection, SinkName store, String topic, int partition, long committedOffset,
                           long logStartOffset, long detectedAtMs) {

    /** Key on the gaps topic: one entry per collection and store, the latest detection. */
    public static String key(String collection, SinkName store) {
        return collection + "/" + store.id();
    }

    public String key() {
        return key(collection, store);
    }

    /** How many records expired unread on that partition. */
    public long lost() {
        return logStartOffset - committedOffset;
    }

    /** "collection docs needs a backfill into pgvector: 12 records of vs.sink.pgvector partition 0 ..." */
    public String describe() {
        return "collection " + collection + " needs a backfill into " + store.id() + ": " + lost() + " records of "
                + topic + " partition " + partition + " (offsets " + committedOffset + " to " + (logStartOffset - 1)
                + ") expired before its sink read them (detected " + Instant.ofEpochMilli(detectedAtMs) + ")";
    }
}
