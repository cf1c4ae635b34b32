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
import io.vectorsync.core.model.ChangeEvent;
import io.vectorsync.core.model.ContentHash;
import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.TableId;
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

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A collection whose vectors are in the source ({@code collections.items.vector=embedding}) through the production
 * topology: the model is never called, the vector goes out as it came in, and bad vectors are dead-lettered.
 */
class SourceVectorTopologyTest {
    private static final TableId ITEMS = new TableId("public", "items");
    private static final Topics TOPICS = new Topics("vectorsync");

    @TempDir
    Path stateDir;

    /** 4 dimensions, as the collection's embedding.dimension. */
    private final FakeEmbeddingProvider embedder = new FakeEmbeddingProvider();
    private TopologyTestDriver driver;
    private TestInputTopic<String, String> cdc;
    private TestOutputTopic<String, EnrichedChange> pgvector;
    private TestOutputTopic<String, String> dlq;
    private long lsn = 1000;

    @BeforeEach
    void setUp() {
        MappingConfig mappings = MappingConfig.from(new ConfigReader(Map.of(
                "collections.items.table", "public.items",
                "collections.items.id", "id",
                "collections.items.template", "{title}",
                "collections.items.metadata", "author",
                "collections.items.vector", "embedding")));
        StreamsBuilder builder = new StreamsBuilder();
        EnrichmentTopology.build(builder, TOPICS, mappings, embedder, 4, Duration.ofMillis(100),
                new EnrichmentMetrics(new SimpleMeterRegistry()), new RecordSizeLimit(100_000),
                TombstoneConfig.KEEP_FOREVER);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "source-vector-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(builder.build(), props);
        cdc = driver.createInputTopic(Topics.cdc(ITEMS), Serdes.String().serializer(), Serdes.String().serializer());
        pgvector = driver.createOutputTopic(TOPICS.sink(SinkName.PGVECTOR), Serdes.String().deserializer(),
                new JsonSerde<>(EnrichedChange.class).deserializer());
        dlq = driver.createOutputTopic(TOPICS.deadLetters(), Serdes.String().deserializer(),
                Serdes.String().deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void theVectorComesFromTheColumnTheModelIsNeverCalledAndTheModelSaysSource() {
        send("c", 1, row(1, "Hello", List.of(0.5, -0.25, 1.0, 2.0)));
        flush();

        EnrichedChange change = pgvector.readValue();
        assertThat(change.embedding()).containsExactly(0.5f, -0.25f, 1.0f, 2.0f);
        assertThat(change.content()).isEqualTo("Hello");
        assertThat(change.model()).isEqualTo("source:embedding");
        assertThat(change.contentHash()).isEqualTo(ContentHash.sha256("Hello", new float[] {0.5f, -0.25f, 1f, 2f}));
        assertThat(change.metadata()).isEqualTo(Map.of("author", "ann")).doesNotContainKey("embedding");
        assertThat(embedder.calls).isEmpty();
    }

    @Test
    void aChangedVectorWithUnchangedTextIsANewDocumentVersion() {
        send("c", 1, row(1, "Hello", List.of(1.0, 0.0, 0.0, 0.0)));
        send("u", 1, row(1, "Hello", List.of(0.0, 1.0, 0.0, 0.0)));
        flush();

        List<EnrichedChange> out = pgvector.readValuesToList();
        assertThat(out).hasSize(2);
        assertThat(out.get(1).embedding()).containsExactly(0f, 1f, 0f, 0f);
        assertThat(out.get(1).contentHash()).isNotEqualTo(out.get(0).contentHash());
        assertThat(embedder.calls).isEmpty();
    }

    @Test
    void anUnchangedToastedVectorKeepsTheVectorTheDocumentHas() {
        send("c", 1, row(1, "Hello", List.of(1.0, 2.0, 3.0, 4.0)));
        flush();
        send("u", 1, row(1, "Hello again", ChangeEvent.UNAVAILABLE_VALUE));
        flush();

        List<EnrichedChange> out = pgvector.readValuesToList();
        assertThat(out).hasSize(2);
        assertThat(out.get(1).content()).isEqualTo("Hello again");
        assertThat(out.get(1).embedding()).containsExactly(1f, 2f, 3f, 4f);
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void aWrongDimensionIsDeadLetteredNamingCollectionKeyColumnExpectedAndActualAndLaterRowsFlow() {
        send("c", 1, row(1, "Short", List.of(1.0, 2.0, 3.0)));
        send("c", 2, row(2, "Fine", List.of(1.0, 2.0, 3.0, 4.0)));
        flush();

        TestRecord<String, String> dead = dlq.readRecord();
        assertThat(header(dead, DeadLetterHeaders.ERROR_MESSAGE)).isEqualTo("collection 'items' key '1' column"
                + " 'embedding': expected 4 dimensions (embedding.dimension), got 3");
        assertThat(header(dead, DeadLetterHeaders.ERROR_CLASS)).endsWith("MappingException");
        assertThat(pgvector.readValuesToList()).extracting(EnrichedChange::id).containsExactly("2");
    }

    @Test
    void aNullVectorWithTextIsDeadLetteredAndWithBlankTextIsStoredWithoutAVector() {
        send("c", 1, row(1, "Some text", null));
        send("c", 2, row(2, " ", null));
        flush();

        assertThat(header(dlq.readRecord(), DeadLetterHeaders.ERROR_MESSAGE)).isEqualTo("collection 'items' key"
                + " '1' column 'embedding': the vector is NULL; expected 4 dimensions, got none");
        EnrichedChange blank = pgvector.readValue();
        assertThat(blank.id()).isEqualTo("2");
        assertThat(blank.embedding()).isNull();
        assertThat(blank.contentHash()).isEqualTo(ContentHash.sha256(" "));
        assertThat(pgvector.isEmpty()).isTrue();
        assertThat(embedder.calls).isEmpty();
    }

    @Test
    void aValueThatIsNoVectorIsDeadLetteredWithWhatIsWrong() {
        send("c", 1, row(1, "Text", "{\"not\": \"an array\"}"));
        flush();

        assertThat(header(dlq.readRecord(), DeadLetterHeaders.ERROR_MESSAGE)).isEqualTo("collection 'items' key"
                + " '1' column 'embedding': its text is a JSON object, not an array of numbers; expected 4"
                + " dimensions");
        assertThat(pgvector.isEmpty()).isTrue();
    }

    private void flush() {
        driver.advanceWallClockTime(Duration.ofMillis(150));
    }

    private static Map<String, Object> row(int id, String title, Object embedding) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", id);
        row.put("title", title);
        row.put("author", "ann");
        row.put("embedding", embedding);
        return row;
    }

    private void send(String op, int id, Map<String, Object> after) {
        lsn++;
        String value = "{\"before\":null,\"after\":" + Json.write(after) + ",\"op\":\"" + op + "\",\"ts_ms\":1,"
                + "\"source\":{\"schema\":\"public\",\"table\":\"items\",\"lsn\":" + lsn
                + ",\"txId\":5,\"ts_ms\":1700000000000}}";
        cdc.pipeInput("{\"id\":" + id + "}", value);
    }

    private static String header(TestRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
