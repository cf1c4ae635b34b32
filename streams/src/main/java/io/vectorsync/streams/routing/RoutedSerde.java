package io.vectorsync.streams.routing;

import io.vectorsync.core.Topics;
import io.vectorsync.core.json.JsonSerde;
import io.vectorsync.core.model.EnrichedChange;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/**
 * Writes a routed change as the plain change, to the topic of its sink; the rest of the route travels in
 * {@link RouteHeaders}. Write-only: sink topics are read back as {@link EnrichedChange}.
 */
public final class RoutedSerde implements Serde<Routed> {
    private final Serializer<EnrichedChange> change = new JsonSerde<>(EnrichedChange.class).serializer();

    @Override
    public Serializer<Routed> serializer() {
        return (topic, routed) -> routed == null ? null : change.serialize(topic, routed.change());
    }

    @Override
    public Deserializer<Routed> deserializer() {
        return (topic, bytes) -> {
            throw new UnsupportedOperationException("sink topics are read as EnrichedChange, not Routed");
        };
    }

    public static TopicNameExtractor<String, Routed> topicExtractor(Topics topics) {
        return (key, routed, context) -> topics.sink(routed.sink());
    }
}
