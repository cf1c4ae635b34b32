package io.vectorsync.streams.topology;

import io.vectorsync.core.Topics;
import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.core.config.TombstoneConfig;
import io.vectorsync.core.json.JsonSerde;
import io.vectorsync.core.kafka.RecordSizeLimit;
import io.vectorsync.core.mode.ModeStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.streams.embedding.EmbeddingProvider;
import io.vectorsync.streams.routing.ModeStatusUpdater;
import io.vectorsync.streams.routing.RouteProcessor;
import io.vectorsync.streams.routing.RoutedSerde;
import org.apache.kafka.common.serialization.Serdes;
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
 * cdc.&lt;schema&gt;.&lt;table&gt; → parse → map → hash → embed (batched) → route by mode → vectorsync.sink.&lt;sink&gt;;
 * failures → vectorsync.dlq. The status topic is read into a global store, so every stream thread routes a
 * migrating collection by its latest mode. Built by a plain method so tests drive exactly this topology.
 */
public final class EnrichmentTopology {
    public static final String DOCUMENTS_STORE = "vectorsync-documents";
    public static final String PENDING_STORE = "vectorsync-pending";
    /** Document key to the delete's commit time, for each delete marker of the document store. */
    public static final String TOMBSTONES_STORE = "vectorsync-tombstones";
    /** Global store: the latest {@link ModeStatus} of each migrating collection, from the status topic. */
    public static final String MODES_STORE = "vectorsync-modes";

    private EnrichmentTopology() {
    }

    public static List<String> sourceTopics(MappingConfig mappings) {
        return mappings.collections().stream().map(CollectionMapping::table).map(Topics::cdc).toList();
    }

    public static void build(StreamsBuilder builder, Topics topics, MappingConfig mappings,
                             EmbeddingProvider embedder, int batchSize, Duration maxWait, EnrichmentMetrics metrics,
                             RecordSizeLimit limit, TombstoneConfig tombstones) {
        build(builder, topics, mappings, embedder, batchSize, maxWait, metrics, limit,
                new EmbeddingHold(maxWait, new SimpleMeterRegistry()), tombstones);
    }

    /**
     * @param hold       shared by every task: whether changes wait for an unavailable provider
     * @param tombstones how long the document state keeps delete markers
     */
    public static void build(StreamsBuilder builder, Topics topics, MappingConfig mappings,
                             EmbeddingProvider embedder, int batchSize, Duration maxWait, EnrichmentMetrics metrics,
                             RecordSizeLimit limit, EmbeddingHold hold, TombstoneConfig tombstones) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DOCUMENTS_STORE),
                Serdes.String(), new JsonSerde<>(DocumentState.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PENDING_STORE),
                Serdes.Long(), new JsonSerde<>(PendingChange.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TOMBSTONES_STORE),
                Serdes.String(), Serdes.Long()));
        // A handful of small records, rebuilt from the compacted topic at start-up: memory is enough. Raw strings
        // in, so an unreadable status reaches the updater, which skips it, rather than failing deserialization.
        builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(MODES_STORE),
                        Serdes.String(), new JsonSerde<>(ModeStatus.class)).withLoggingDisabled(),
                topics.status(), Consumed.with(Serdes.String(), Serdes.String()),
                () -> new ModeStatusUpdater(MODES_STORE));

        KStream<String, Outcome> outcomes = builder
                .stream(sourceTopics(mappings), Consumed.with(Serdes.String(), Serdes.String()))
                .process(() -> new EnrichProcessor(mappings, embedder, batchSize, maxWait, metrics, limit, hold,
                        tombstones), Named.as("enrich"), DOCUMENTS_STORE, PENDING_STORE, TOMBSTONES_STORE);

        Map<String, KStream<String, Outcome>> branches = outcomes.split(Named.as("outcome-"))
                .branch((key, outcome) -> outcome.isDeadLetter(), Branched.as("dead"))
                .defaultBranch(Branched.as("enriched"));
        branches.get("outcome-dead")
                .mapValues(Outcome::deadLetterValue)
                .to(topics.deadLetters(), Produced.with(Serdes.String(), Serdes.String()));
        branches.get("outcome-enriched")
                .mapValues(Outcome::change)
                .process(() -> new RouteProcessor(mappings, MODES_STORE), Named.as("route"))
                .to(RoutedSerde.topicExtractor(topics),
                        Produced.with(Serdes.String(), new RoutedSerde()));
    }
}
