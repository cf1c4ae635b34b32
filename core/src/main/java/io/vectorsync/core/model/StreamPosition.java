package io.vectorsync.core.model;

import java.util.Comparator;

/**
 * Where a change sits in Debezium's PostgreSQL stream, from {@code source.sequence}: the LSN of the last commit
 * before it, and its own LSN. Compared pair by pair, this orders every event of a row the way the stream does,
 * including incremental-snapshot events, which have no LSN of their own: their sequence is the watermark that closed
 * their chunk. A single LSN cannot: a transaction that began before a snapshot chunk and committed after it has
 * changes whose LSN is lower than the chunk's watermark, yet they are newer.
 *
 * @param commitLsn the previous commit's LSN, -1 when Debezium sent none (its first transactions after a start)
 */
public record StreamPosition(long commitLsn, long lsn) implements Comparable<StreamPosition> {
    private static final Comparator<StreamPosition> ORDER = Comparator.comparingLong(StreamPosition::commitLsn)
            .thenComparingLong(StreamPosition::lsn);

    @Override
    public int compareTo(StreamPosition other) {
        return ORDER.compare(this, other);
    }

    public boolean isAfter(StreamPosition other) {
        return compareTo(other) > 0;
    }
}
