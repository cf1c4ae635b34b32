package io.vectorsync.migration.lag;

import java.util.OptionalLong;

/**
 * What a consumer group has not processed yet on some topics.
 *
 * @param position the group's offsets summed over the partitions (the first offset still in the log where it
 *                 never committed): how many records it has processed, give or take a constant
 * @param oldestMs the oldest Kafka timestamp of the first record it has not processed on each partition;
 *                 empty when it is caught up everywhere
 */
record Pending(long position, OptionalLong oldestMs) {

    static Pending caughtUp(long position) {
        return new Pending(position, OptionalLong.empty());
    }
}
