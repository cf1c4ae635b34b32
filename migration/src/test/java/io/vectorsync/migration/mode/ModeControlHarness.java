package io.vectorsync.migration.mode;

import io.vectorsync.core.Topics;
import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.mode.BackfillProgress;
import io.vectorsync.core.mode.BackfillRequest;
import io.vectorsync.core.mode.CutoverGate;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.mode.RequestOutcome;
import io.vectorsync.core.model.StorageMode;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Drives {@link ModeControlTopology} through a TopologyTestDriver and reads what each input made it emit. */
final class ModeControlHarness implements AutoCloseable {
    static final Topics TOPICS = new Topics("vectorsync");
    static final String APP_ID = "modes-test";
    /** articles: pgvector -> milvus, notes: pgvector -> neo4j, both migrating; logs: pgvector only. */
    static final MappingConfig MAPPINGS = MappingConfig.from(new ConfigReader(Map.ofEntries(
            Map.entry("collections.articles.table", "public.articles"),
            Map.entry("collections.articles.id", "id"),
            Map.entry("collections.articles.template", "{title}"),
            Map.entry("collections.articles.legacy", "pgvector"),
            Map.entry("collections.articles.target", "milvus"),
            Map.entry("collections.notes.table", "public.notes"),
            Map.entry("collections.notes.id", "id"),
            Map.entry("collections.notes.template", "{body}"),
            Map.entry("collections.notes.legacy", "pgvector"),
            Map.entry("collections.notes.target", "neo4j"),
            Map.entry("collections.logs.table", "public.logs"),
            Map.entry("collections.logs.id", "id"),
            Map.entry("collections.logs.template", "{line}"))));

    final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    final TopologyTestDriver driver;
    private final TestInputTopic<String, String> control;
    private final TestInputTopic<String, String> progress;
    private final TestOutputTopic<String, String> status;
    private final TestOutputTopic<String, String> backfills;

    /** What one input made the controller emit. */
    record Step(List<RequestOutcome> outcomes, List<ModeStatus> statuses, List<BackfillRequest> backfills) {
        /** The one answer; fails when there was none or several. */
        RequestOutcome outcome() {
            assertThat(outcomes).as("answers emitted").hasSize(1);
            return outcomes.get(0);
        }

        ModeStatus status(String collection) {
            List<ModeStatus> of = statuses.stream().filter(s -> s.collection().equals(collection)).toList();
            assertThat(of).as("statuses emitted for " + collection).hasSize(1);
            return of.get(0);
        }
    }

    ModeControlHarness(Path stateDir, CutoverGate gate) {
        StreamsBuilder builder = new StreamsBuilder();
        ModeControlTopology.build(builder, TOPICS, MAPPINGS, gate, clock::get);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APP_ID);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(builder.build(), props);
        control = driver.createInputTopic(TOPICS.control(), Serdes.String().serializer(), Serdes.String().serializer());
        progress = driver.createInputTopic(TOPICS.backfillProgress(), Serdes.String().serializer(),
                Serdes.String().serializer());
        status = driver.createOutputTopic(TOPICS.status(), Serdes.String().deserializer(),
                Serdes.String().deserializer());
        backfills = driver.createOutputTopic(TOPICS.backfillRequests(), Serdes.String().deserializer(),
                Serdes.String().deserializer());
    }

    static Map<String, Object> request(String collection, StorageMode mode) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("collection", collection);
        r.put("mode", mode.name());
        r.put("requested_by", "ana");
        r.put("reason", "test");
        return r;
    }

    static Map<String, Object> request(String collection, StorageMode mode, String key, Object value) {
        Map<String, Object> r = request(collection, mode);
        r.put(key, value);
        return r;
    }

    /** Runs the start-up punctuator. */
    Step start() {
        driver.advanceWallClockTime(ModeControlTopology.STARTUP_DELAY);
        return drain();
    }

    Step send(Map<String, Object> request) {
        return sendRaw(Json.write(request));
    }

    Step sendRaw(String value) {
        clock.addAndGet(1000);
        control.pipeInput((String) null, value);
        return drain();
    }

    /** Sends on the operator {@code principalName}'s own control topic, {@code <pipeline>.control.<name>}. */
    Step sendAs(String principalName, Map<String, Object> request) {
        clock.addAndGet(1000);
        driver.createInputTopic(TOPICS.control(principalName), Serdes.String().serializer(),
                Serdes.String().serializer()).pipeInput((String) null, Json.write(request));
        return drain();
    }

    Step progress(String collection, BackfillProgress p) {
        return progressRaw(collection, Json.write(p));
    }

    Step progressRaw(String collection, String value) {
        clock.addAndGet(1000);
        progress.pipeInput(collection, value);
        return drain();
    }

    /** Applies a request that must be applied, and returns what it emitted. */
    Step apply(Map<String, Object> request) {
        Step step = send(request);
        assertThat(step.outcome().result()).as("%s: %s", request, step.outcome().reasons())
                .isEqualTo(RequestOutcome.Result.APPLIED);
        return step;
    }

    Step drain() {
        List<RequestOutcome> outcomes = new ArrayList<>();
        List<ModeStatus> statuses = new ArrayList<>();
        for (KeyValue<String, String> kv : status.readKeyValuesToList()) {
            if (Topics.REQUESTS_KEY.equals(kv.key)) {
                outcomes.add(Json.read(kv.value, RequestOutcome.class));
            } else {
                ModeStatus s = Json.read(kv.value, ModeStatus.class);
                assertThat(s.collection()).as("status key").isEqualTo(kv.key);
                statuses.add(s);
            }
        }
        List<BackfillRequest> requested = new ArrayList<>();
        for (KeyValue<String, String> kv : backfills.readKeyValuesToList()) {
            BackfillRequest b = Json.read(kv.value, BackfillRequest.class);
            assertThat(b.collection()).as("backfill request key").isEqualTo(kv.key);
            requested.add(b);
        }
        return new Step(outcomes, statuses, requested);
    }

    KeyValueStore<String, String> store() {
        return driver.getKeyValueStore(ModeControlTopology.STORE);
    }

    /** The stored status of a collection, or null. */
    ModeStatus stored(String collection) {
        String json = store().get(collection);
        return json == null ? null : Json.read(json, ModeStatus.class);
    }

    /** Every record the store wrote to its changelog topic, in order. */
    List<KeyValue<String, String>> changelog() {
        return driver.createOutputTopic(APP_ID + "-" + ModeControlTopology.STORE + "-changelog",
                Serdes.String().deserializer(), Serdes.String().deserializer()).readKeyValuesToList();
    }

    @Override
    public void close() {
        driver.close();
    }
}
