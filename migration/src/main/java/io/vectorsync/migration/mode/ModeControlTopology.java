package io.vectorsync.migration.mode;

import io.vectorsync.core.Topics;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.core.mode.CutoverGate;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The mode controller: control requests and backfill progress in, statuses, answers and backfill requests out.
 *
 * <pre>
 * {pipeline}.control ───────────┐                           ┌─▶ {pipeline}.status: statuses by collection,
 *                               ├─▶ mode-control ───────────┤                      answers under "@requests"
 * {pipeline}.backfill.progress ─┘   [store vectorsync-modes]  └─▶ {pipeline}.backfill.requests
 * </pre>
 *
 * Both inputs must have one partition: then one task, with one store, sees every request and every progress
 * record in order and is the only writer of the statuses. Built by a plain method so tests drive exactly this.
 */
public final class ModeControlTopology {
    /** Collection -> applied ModeStatus (JSON), changelogged, so statuses survive restarts and moves. */
    public static final String STORE = "vectorsync-modes";
    /** How soon after start every migrating collection's status is published. */
    public static final Duration STARTUP_DELAY = Duration.ofMillis(100);

    private ModeControlTopology() {
    }

    /** @param clock epoch milliseconds, for statuses and answers */
    public static void build(StreamsBuilder builder, Topics topics, MappingConfig mappings, CutoverGate gate,
                             LongSupplier clock) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                Serdes.String()));
        // The shared control topic and each operator's (<pipeline>.control.<principal>), all of one partition, so
        // one task decides every request in the order it reads them.
        KStream<String, ModeOutput> out = builder
                .stream(topics.controlTopics(), Consumed.with(Serdes.String(), Serdes.String()))
                .merge(builder.stream(topics.backfillProgress(), Consumed.with(Serdes.String(), Serdes.String())))
                .process(() -> new ModeControlProcessor(topics, mappings, gate, clock), Named.as("mode-control"),
                        STORE);
        Map<String, KStream<String, ModeOutput>> branches = out.split(Named.as("mode-"))
                .branch((key, o) -> o.kind() == ModeOutput.Kind.BACKFILL, Branched.as("backfills"))
                .defaultBranch(Branched.as("statuses"));
        branches.get("mode-statuses").mapValues(ModeOutput::json)
                .to(topics.status(), Produced.with(Serdes.String(), Serdes.String()));
        branches.get("mode-backfills").mapValues(ModeOutput::json)
                .to(topics.backfillRequests(), Produced.with(Serdes.String(), Serdes.String()));
    }
}
