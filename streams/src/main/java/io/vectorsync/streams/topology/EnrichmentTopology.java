package io.vectorsync.streams.topology;

import io.vectorsync.core.Topics;
import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.core.json.JsonSerde;
import io.vectorsync.streams.embedding.EmbeddingProvider;
import io.vectorsync.streams.routing.RoutedSerde;
import io.vectorsync.streams.routing.SinkRouter;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * cdc.&lt;schema&gt;.&lt;table&gt; → parse → map → hash → embed (batched) → route → vectorsync.sink.&lt;sink&gt;;
 * failures → vectorsync.dlq. Built by a plain method so tests drive exactly this topology.
 */
public final class EnrichmentTopology {
    public static final String DOCUMENTS_STORE = "vectorsync-documents";
    public static final String PENDING_STORE = "vectorsync-pending";

    private EnrichmentTopology() {
    }

    public static List<String> sourceTopics(MappingConfig mappings) {
        return mappings.collections().stream().map(CollectionMapping::table).map(Topics::cdc).toList();
    }

    public static void build(StreamsBuilder builder, Topics topics, MappingConfig mappings,
                             EmbeddingProvider embedder, int batchSize, Duration maxWait, EnrichmentMetrics metrics) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DOCUMENTS_STORE),
                Serdes.String(), new JsonSerde<>(DocumentState.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PENDING_STORE),
                Serdes.Long(), new JsonSerde<>(PendingChange.class)));

        KStream<String, Outcome> outcomes = builder
                .stream(sourceTopics(mappings), Consumed.with(Serdes.String(), Serdes.String()))
                .process(() -> new EnrichProcessor(mappings, embedder, batchSize, maxWait, metrics),
                        Named.as("enrich"), DOCUMENTS_STORE, PENDING_STORE);

        SinkRouter router = new SinkRouter(mappings);
        Map<String, KStream<String, Outcome>> branches = outcomes.split(Named.as("outcome-"))
                .branch((key, outcome) -> outcome.isDeadLetter(), Branched.as("dead"))
                .defaultBranch(Branched.as("enriched"));
        branches.get("outcome-dead")
                .mapValues(Outcome::deadLetterValue)
                .to(topics.deadLetters(), Produced.with(Serdes.String(), Serdes.String()));
        branches.get("outcome-enriched")
                .flatMap((key, outcome) -> router.route(outcome.change()).stream()
                        .map(r -> KeyValue.pair(key, r)).toList())
                .to(RoutedSerde.topicExtractor(topics),
                        Produced.with(Serdes.String(), new RoutedSerde()));
    }
}
