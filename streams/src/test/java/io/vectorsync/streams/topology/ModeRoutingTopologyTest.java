package io.vectorsync.streams.topology;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.core.DeadLetterHeaders;
import io.vectorsync.core.Topics;
import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.core.config.TombstoneConfig;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.json.JsonSerde;
import io.vectorsync.core.kafka.RecordSizeLimit;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.mode.RequestOutcome;
import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.core.model.EnrichedChange.Kind;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode;
import io.vectorsync.core.model.TableId;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import static io.vectorsync.core.model.EnrichedChange.Kind.DELETE;
import static io.vectorsync.core.model.EnrichedChange.Kind.UPSERT;
import static io.vectorsync.core.model.SinkName.MILVUS;
import static io.vectorsync.core.model.SinkName.NEO4J;
import static io.vectorsync.core.model.SinkName.PGVECTOR;
import static org.assertj.core.api.Assertions.assertThat;

/** The production topology routing a migrating collection (pgvector → milvus) by the modes on the status topic. */
class ModeRoutingTopologyTest {
    private static final Topics TOPICS = new Topics("vectorsync");
    private static final TableId ARTICLES = new TableId("public", "articles");
    private static final TableId NOTES = new TableId("public", "notes");

    @TempDir
    Path stateDir;

    private final FakeEmbeddingProvider embedder = new FakeEmbeddingProvider();
    private TopologyTestDriver driver;
    private TestInputTopic<String, String> articles;
    private TestInputTopic<String, String> notes;
    private TestInputTopic<String, String> status;
    private final Map<SinkName, TestOutputTopic<String, EnrichedChange>> sinks = new EnumMap<>(SinkName.class);
    private TestOutputTopic<String, String> dlq;
    private long lsn = 1000;

    @BeforeEach
    void setUp() {
        MappingConfig mappings = MappingConfig.from(new ConfigReader(Map.of(
                "collections.articles.table", "public.articles",
                "collections.articles.id", "id",
                "collections.articles.template", "{title}: {body}",
                "collections.articles.legacy", "pgvector",
                "collections.articles.target", "milvus",
                "collections.notes.table", "public.notes",
                "collections.notes.id", "id",
                "collections.notes.template", "{title}: {body}",
                "collections.notes.sinks", "pgvector,neo4j")));
        StreamsBuilder builder = new StreamsBuilder();
        EnrichmentTopology.build(builder, TOPICS, mappings, embedder, 16, Duration.ofMillis(100),
                new EnrichmentMetrics(new SimpleMeterRegistry()), new RecordSizeLimit(1_000_000),
                TombstoneConfig.KEEP_FOREVER);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "mode-routing-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(builder.build(), props);
        articles = driver.createInputTopic(Topics.cdc(ARTICLES), Serdes.String().serializer(),
                Serdes.String().serializer());
        notes = driver.createInputTopic(Topics.cdc(NOTES), Serdes.String().serializer(), Serdes.String().serializer());
        status = driver.createInputTopic(TOPICS.status(), Serdes.String().serializer(), Serdes.String().serializer());
        for (SinkName sink : SinkName.values()) {
            sinks.put(sink, driver.createOutputTopic(TOPICS.sink(sink), Serdes.String().deserializer(),
                    new JsonSerde<>(EnrichedChange.class).deserializer()));
        }
        dlq = driver.createOutputTopic(TOPICS.deadLetters(), Serdes.String().deserializer(),
                Serdes.String().deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    /** Spelled out here, not derived from StorageMode, so a wrong table there fails this test. */
    static Stream<Arguments> modes() {
        return Stream.of(
                Arguments.of(StorageMode.SOURCE_ONLY, Map.of(PGVECTOR, "required")),
                Arguments.of(StorageMode.DUAL_WRITE, Map.of(PGVECTOR, "required", MILVUS, "best_effort")),
                Arguments.of(StorageMode.SHADOW, Map.of(PGVECTOR, "required", MILVUS, "best_effort")),
                Arguments.of(StorageMode.CUTOVER, Map.of(PGVECTOR, "required", MILVUS, "required")),
                Arguments.of(StorageMode.TARGET_ONLY, Map.of(MILVUS, "required")));
    }

    @ParameterizedTest
    @MethodSource("modes")
    void insertUpdateAndDeleteGoToTheStoresTheModeWritesWithItsHeaders(StorageMode mode,
                                                                      Map<SinkName, String> deliveries) {
        publish(mode, 7);

        send(articles, "c", 1, "Hello", "world");
        send(articles, "u", 1, "Hello", "there");
        send(articles, "d", 1, null, null);
        flush();

        for (SinkName sink : SinkName.values()) {
            String delivery = deliveries.get(sink);
            List<Seen> expected = delivery == null ? List.of() : List.of(
                    new Seen(UPSERT, "1", delivery, mode.name(), "7"),
                    new Seen(UPSERT, "1", delivery, mode.name(), "7"),
                    new Seen(DELETE, "1", delivery, mode.name(), "7"));
            assertThat(read(sink)).as("records on the %s sink topic", sink).isEqualTo(expected);
        }
    }

    @Test
    void migratingCollectionWithoutAnyStatusIsSourceOnly() {
        send(articles, "c", 1, "Hello", "world");
        flush();

        assertThat(read(PGVECTOR)).containsExactly(new Seen(UPSERT, "1", "required", "SOURCE_ONLY", "0"));
        assertThat(read(MILVUS)).isEmpty();
        assertThat(read(NEO4J)).isEmpty();
    }

    @Test
    void changesBeforeATransitionGoByTheOldModeAndChangesAfterByTheNew() {
        publish(StorageMode.SOURCE_ONLY, 1);
        send(articles, "c", 1, "Hello", "world");
        flush();
        publish(StorageMode.DUAL_WRITE, 2);
        send(articles, "u", 1, "Hello", "there");
        send(articles, "c", 2, "Second", "row");
        flush();

        assertThat(read(PGVECTOR)).containsExactly(
                new Seen(UPSERT, "1", "required", "SOURCE_ONLY", "1"),
                new Seen(UPSERT, "1", "required", "DUAL_WRITE", "2"),
                new Seen(UPSERT, "2", "required", "DUAL_WRITE", "2"));
        assertThat(read(MILVUS)).containsExactly(
                new Seen(UPSERT, "1", "best_effort", "DUAL_WRITE", "2"),
                new Seen(UPSERT, "2", "best_effort", "DUAL_WRITE", "2"));
    }

    @Test
    void rollbackFromCutoverToDualWriteMakesTheTargetBestEffortAgain() {
        publish(StorageMode.CUTOVER, 4);
        send(articles, "c", 1, "Hello", "world");
        flush();
        publish(StorageMode.DUAL_WRITE, 5);
        send(articles, "d", 1, null, null);
        flush();

        assertThat(read(PGVECTOR)).containsExactly(
                new Seen(UPSERT, "1", "required", "CUTOVER", "4"),
                new Seen(DELETE, "1", "required", "DUAL_WRITE", "5"));
        assertThat(read(MILVUS)).containsExactly(
                new Seen(UPSERT, "1", "required", "CUTOVER", "4"),
                new Seen(DELETE, "1", "best_effort", "DUAL_WRITE", "5"));
    }

    @Test
    void collectionWithoutMigrationIgnoresStatusesAndGoesToEveryOneOfItsSinks() {
        publish(StorageMode.TARGET_ONLY, 3);
        status.pipeInput("notes", Json.write(status("notes", StorageMode.TARGET_ONLY, 3)));

        send(notes, "c", 5, "Note", "text");
        send(articles, "c", 1, "Hello", "world");
        flush();

        assertThat(read(PGVECTOR)).containsExactly(new Seen(UPSERT, "5", "required", "none", "0"));
        assertThat(read(NEO4J)).containsExactly(new Seen(UPSERT, "5", "required", "none", "0"));
        assertThat(read(MILVUS)).containsExactly(new Seen(UPSERT, "1", "required", "TARGET_ONLY", "3"));
    }

    @Test
    void unreadableStatusIsIgnoredAndTheCollectionKeepsItsPreviousMode() {
        publish(StorageMode.DUAL_WRITE, 2);
        status.pipeInput("articles", "{not json");
        status.pipeInput("articles", "{\"collection\":\"articles\",\"mode\":\"WARP_SPEED\",\"epoch\":3}");
        status.pipeInput("articles", "{\"collection\":\"articles\",\"epoch\":3}");
        status.pipeInput("articles", Json.write(status("notes", StorageMode.TARGET_ONLY, 3)));

        send(articles, "c", 1, "Hello", "world");
        flush();

        assertThat(read(PGVECTOR)).containsExactly(new Seen(UPSERT, "1", "required", "DUAL_WRITE", "2"));
        assertThat(read(MILVUS)).containsExactly(new Seen(UPSERT, "1", "best_effort", "DUAL_WRITE", "2"));
    }

    @Test
    void requestAnswersAndTombstonesOnTheStatusTopicLeaveTheModeAsItWas() {
        publish(StorageMode.CUTOVER, 6);
        RequestOutcome answer = new RequestOutcome("r-1", RequestOutcome.Result.APPLIED, "articles",
                StorageMode.TARGET_ONLY, "test", 7, false, List.of(), List.of("stop writing pgvector"), 0);
        status.pipeInput(Topics.REQUESTS_KEY, Json.write(answer));
        status.pipeInput("articles", (String) null);

        send(articles, "c", 1, "Hello", "world");
        flush();

        assertThat(read(PGVECTOR)).containsExactly(new Seen(UPSERT, "1", "required", "CUTOVER", "6"));
        assertThat(read(MILVUS)).containsExactly(new Seen(UPSERT, "1", "required", "CUTOVER", "6"));
    }

    @Test
    void unreadableFirstStatusLeavesTheCollectionSourceOnly() {
        status.pipeInput("articles", "[]");

        send(articles, "c", 1, "Hello", "world");
        flush();

        assertThat(read(PGVECTOR)).containsExactly(new Seen(UPSERT, "1", "required", "SOURCE_ONLY", "0"));
        assertThat(read(MILVUS)).isEmpty();
    }

    @Test
    void changeFannedOutToTwoStoresIsEmbeddedOnceAndBothGetTheSameChange() {
        publish(StorageMode.SHADOW, 3);

        send(articles, "c", 1, "Hello", "world");
        flush();

        assertThat(embedder.calls).containsExactly(List.of("Hello: world"));
        TestRecord<String, EnrichedChange> legacy = sinks.get(PGVECTOR).readRecord();
        TestRecord<String, EnrichedChange> target = sinks.get(MILVUS).readRecord();
        assertThat(target.value()).isEqualTo(legacy.value());
        assertThat(target.key()).isEqualTo(legacy.key()).isEqualTo("articles/1");
        assertThat(legacy.value().embedding()).containsExactly(FakeEmbeddingProvider.vectorOf("Hello: world"));
    }

    @Test
    void sinkTopicValueIsThePlainEnrichedChangeJson() {
        publish(StorageMode.DUAL_WRITE, 2);
        TestOutputTopic<String, String> raw = driver.createOutputTopic(TOPICS.sink(MILVUS),
                Serdes.String().deserializer(), Serdes.String().deserializer());

        send(articles, "c", 1, "Hello", "world");
        flush();

        String json = raw.readValue();
        EnrichedChange change = Json.read(json, EnrichedChange.class);
        assertThat(json).isEqualTo(Json.write(change));
        assertThat(change.content()).isEqualTo("Hello: world");
    }

    @Test
    void badCdcRecordStillGoesToTheDeadLetterTopicAndGoodOnesAreRouted() {
        publish(StorageMode.DUAL_WRITE, 2);

        articles.pipeInput("{\"id\":9}", "{not json");
        send(articles, "c", 1, "Hello", "world");
        flush();

        TestRecord<String, String> dead = dlq.readRecord();
        assertThat(dead.value()).isEqualTo("{not json");
        assertThat(header(dead.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("cdc.public.articles");
        assertThat(header(dead.headers(), DeadLetterHeaders.ERROR_MESSAGE)).contains("not valid JSON");
        assertThat(dead.headers().lastHeader(StorageMode.Delivery.HEADER)).isNull();
        assertThat(dlq.isEmpty()).isTrue();
        assertThat(read(PGVECTOR)).containsExactly(new Seen(UPSERT, "1", "required", "DUAL_WRITE", "2"));
        assertThat(read(MILVUS)).containsExactly(new Seen(UPSERT, "1", "best_effort", "DUAL_WRITE", "2"));
    }

    /** What a sink topic record says, in the terms a sink worker reads it. */
    private record Seen(Kind kind, String id, String delivery, String mode, String epoch) {
    }

    private List<Seen> read(SinkName sink) {
        return sinks.get(sink).readRecordsToList().stream().map(r -> {
            assertThat(r.key()).isEqualTo(r.value().documentKey());
            assertThat(r.headers().toArray()).extracting(Header::key).doesNotHaveDuplicates();
            return new Seen(r.value().kind(), r.value().id(), header(r.headers(), StorageMode.Delivery.HEADER),
                    header(r.headers(), "vectorsync.mode"), header(r.headers(), "vectorsync.epoch"));
        }).toList();
    }

    private void publish(StorageMode mode, long epoch) {
        status.pipeInput("articles", Json.write(status("articles", mode, epoch)));
    }

    private static ModeStatus status(String collection, StorageMode mode, long epoch) {
        return new ModeStatus(collection, mode, epoch, PGVECTOR, MILVUS, 1_700_000_000_000L, "test", "test", false,
                null, null);
    }

    private void flush() {
        driver.advanceWallClockTime(Duration.ofMillis(150));
    }

    private void send(TestInputTopic<String, String> topic, String op, int id, String title, String body) {
        lsn++;
        String table = topic == notes ? NOTES.table() : ARTICLES.table();
        String after = title == null ? "null"
                : Json.write(Map.of("id", id, "title", title, "body", body));
        String before = "d".equals(op) ? "{\"id\":" + id + "}" : "null";
        String value = "{\"before\":" + before + ",\"after\":" + after + ",\"op\":\"" + op + "\",\"ts_ms\":1,"
                + "\"source\":{\"schema\":\"public\",\"table\":\"" + table + "\",\"lsn\":" + lsn
                + ",\"txId\":5,\"ts_ms\":1700000000000}}";
        topic.pipeInput("{\"id\":" + id + "}", value);
    }

    private static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
