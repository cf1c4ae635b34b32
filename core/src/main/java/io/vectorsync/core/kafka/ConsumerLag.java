package io.vectorsync.core.kafka;

/** How far a consumer group is behind on a topic. */
@FunctionalInterface
public interface ConsumerLag {

    /**
     * Records of {@code topic} the group has not committed yet, summed over its partitions. A partition the group
     * never committed counts whole (every record still in it).
     *
     * @throws LagUnknownException when it cannot be told: Kafka unreachable or too slow, the topic missing
     */
    long records(String group, String topic) throws LagUnknownException;
}
