package io.vectorsync.streams.topology;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.core.Topics;
import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.core.config.TombstoneConfig;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.json.JsonSerde;
import io.vectorsync.core.kafka.RecordSizeLimit;
import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.TableId;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The streams worker forgets delete markers older than the tombstone age, driven by the test driver's clock. */
class TombstonePurgeTopologyTest {
    private static final TableId ARTICLES = new TableId("public", "articles");
    private static final Topics TOPICS = new Topics("vectorsync");
    private static final Instant DAY0 = Instant.ofEpochMilli(1_700_000_000_000L);

    @TempDir
    Path stateDir;

    private static final TombstoneConfig TEN_DAYS = new TombstoneConfig(Duration.ofDays(10).toMillis(),
            Duration.ofMinutes(10), 1000);

    private final FakeEmbeddingProvider embedder = new FakeEmbeddingProvider();
    private final EnrichmentMetrics metrics = new EnrichmentMetrics(new SimpleMeterRegistry());
    private TopologyTestDriver driver;
    private TestInputTopic<String, String> cdc;
    private TestOutputTopic<String, EnrichedChange> pgvector;
    private KeyValueStore<String, DocumentState> documents;
    private long lsn = 1000;

    @BeforeEach
    void setUp() {
        MappingConfig mappings = MappingConfig.from(new ConfigReader(Map.of(
                "collections.articles.table", "public.articles",
                "collections.articles.id", "id",
                "collections.articles.template", "{title}")));
        StreamsBuilder builder = new StreamsBuilder();
        EnrichmentTopology.build(builder, TOPICS, mappings, embedder, 4, Duration.ofMillis(100), metrics,
                new RecordSizeLimit(100_000), TEN_DAYS);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "tombstone-purge-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(builder.build(), props, DAY0);
        cdc = driver.createInputTopic(Topics.cdc(ARTICLES), Serdes.String().serializer(),
                Serdes.String().serializer());
        pgvector = driver.createOutputTopic(TOPICS.sink(SinkName.PGVECTOR), Serdes.String().deserializer(),
                new JsonSerde<>(EnrichedChange.class).deserializer());
        documents = driver.getKeyValueStore(EnrichmentTopology.DOCUMENTS_STORE);
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void tombstonesOlderThanTheAgeAreForgottenWhileYoungerOnesLiveDocumentsAndTheTruncateWatermarkStay() {
        truncate(DAY0);
        String oldInsert = change("c", 1, DAY0);
        change("c", 2, DAY0);
        change("c", 3, DAY0);
        change("d", 1, DAY0);
        change("d", 3, DAY0.plus(Duration.ofDays(5)));
        driver.advanceWallClockTime(Duration.ofMillis(150));
        pgvector.readValuesToList();
        assertThat(documents.get("articles/1").isDeleted()).isTrue();

        driver.advanceWallClockTime(Duration.ofDays(10).plusMinutes(1));

        assertThat(documents.get("articles/1")).as("a tombstone older than ten days").isNull();
        assertThat(documents.get("articles/3").isDeleted()).as("a tombstone of five days").isTrue();
        assertThat(documents.get("articles/2").isDeleted()).as("a live document").isFalse();
        assertThat(documents.get("@truncated/articles")).as("the truncate watermark").isNotNull();
        assertThat(metrics.tombstonesPurgedCount()).isEqualTo(1);
        driver.advanceWallClockTime(Duration.ofMinutes(10));
        assertThat(metrics.tombstonesPurgedCount()).as("a purge is idempotent").isEqualTo(1);

        // The limit of the rule: an insert older than a forgotten delete goes through again.
        cdc.pipeInput("{\"id\":1}", oldInsert);
        driver.advanceWallClockTime(Duration.ofMillis(150));
        assertThat(pgvector.readValuesToList()).extracting(EnrichedChange::id).containsExactly("1");
    }

    /** A change at the next LSN, committed at {@code at}; returns the event. */
    private String change(String op, int id, Instant at) {
        lsn++;
        String after = "d".equals(op) ? "null" : Json.write(Map.of("id", id, "title", "title " + id));
        String before = "d".equals(op) ? "{\"id\":" + id + "}" : "null";
        String value = "{\"before\":" + before + ",\"after\":" + after + ",\"op\":\"" + op + "\",\"ts_ms\":1,"
                + "\"source\":{\"schema\":\"public\",\"table\":\"articles\",\"lsn\":" + lsn
                + ",\"txId\":5,\"ts_ms\":" + at.toEpochMilli() + "}}";
        cdc.pipeInput("{\"id\":" + id + "}", value);
        return value;
    }

    private void truncate(Instant at) {
        lsn++;
        cdc.pipeInput((String) null, "{\"before\":null,\"after\":null,\"op\":\"t\",\"ts_ms\":1,\"source\":{"
                + "\"schema\":\"public\",\"table\":\"articles\",\"lsn\":" + lsn + ",\"txId\":6,"
                + "\"ts_ms\":" + at.toEpochMilli() + "}}");
    }
}
