package io.vectorsync.app;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.app.config.AppConfigLoader;
import io.vectorsync.app.pipeline.Pipeline;
import io.vectorsync.app.pipeline.Role;
import io.vectorsync.core.Topics;
import io.vectorsync.core.debezium.CdcRecordParser;
import io.vectorsync.core.model.ChangeEvent;
import io.vectorsync.core.model.Operation;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.TableId;
import io.vectorsync.sink.runner.SinkMetrics;
import io.vectorsync.streams.embedding.MiniLmEmbeddingProvider;
import io.vectorsync.streams.topology.EnrichmentMetrics;
import io.vectorsync.testkit.LocalServers;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The whole pipeline in one process against real PostgreSQL, Kafka and pgvector. */
@ExtendWith(LocalServers.class)
class PipelineIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(4);

    @TempDir
    static Path stateDir;

    private static PipelineFixture fx;
    private static Pipeline pipeline;
    private static String articles;
    private static String notes;
    private static String pipelineName;

    @BeforeAll
    static void start() throws Exception {
        fx = new PipelineFixture(LocalServers.get());
        articles = "articles_" + fx.suffix;
        notes = "notes_" + fx.suffix;
        fx.createDocumentTable(articles);
        fx.createDocumentTable(notes);
        Map<String, String> config = fx.config(stateDir);
        PipelineFixture.mapCollection(config, "articles", articles);
        PipelineFixture.mapCollection(config, "notes", notes);
        pipelineName = config.get("pipeline.name");
        pipeline = Pipeline.start(AppConfigLoader.load(config, true), EnumSet.allOf(Role.class),
                new SimpleMeterRegistry());
    }

    @AfterAll
    static void stop() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(fx::dropSlot);
    }

    @Test
    void thousandInsertsHundredUpdatesFiftyDeletesLeavePgvectorEqualToTheSource() throws Exception {
        double embeddedAtStart = streamsMetrics().embeddedCount();
        try (Connection c = fx.servers.connect(fx.sourceDb);
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + articles
                     + " (id, title, body, author) VALUES (?, ?, ?, ?)")) {
            c.setAutoCommit(false);
            Random random = new Random(42);
            for (int i = 1; i <= 1000; i++) {
                ps.setInt(1, i);
                ps.setString(2, "Article " + i);
                ps.setString(3, sentence(random));
                ps.setString(4, "author" + (i % 7));
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        }
        awaitStoreEqualsSource("articles", articles, 1000);
        double embeddedAfterInserts = streamsMetrics().embeddedCount();
        double skippedAfterInserts = streamsMetrics().skippedCount();
        assertThat(embeddedAfterInserts - embeddedAtStart).isEqualTo(1000);

        fx.sql(fx.sourceDb, "UPDATE " + articles + " SET body = body || ' (revised)' WHERE id <= 50");
        fx.sql(fx.sourceDb, "UPDATE " + articles + " SET author = 'editor' WHERE id BETWEEN 51 AND 100");
        fx.sql(fx.sourceDb, "DELETE FROM " + articles + " WHERE id > 950");
        awaitStoreEqualsSource("articles", articles, 950);

        assertThat(fx.stored("articles")).doesNotContainKeys("951", "1000")
                .containsEntry("51", new PipelineFixture.Doc(fx.expected(articles).get("51").content(), "editor"));
        assertThat(streamsMetrics().embeddedCount() - embeddedAfterInserts)
                .as("only the 50 text updates reach the model").isEqualTo(50);
        assertThat(streamsMetrics().skippedCount() - skippedAfterInserts)
                .as("the 50 metadata-only updates reuse their vector").isEqualTo(50);
        assertEveryVectorIsTheModelsEmbeddingOfTheSourceText("articles", articles);
    }

    @Test
    void updateLeavingAToastedColumnUntouchedKeepsContentAndVector() throws Exception {
        String body = incompressibleText(20_000);
        try (Connection c = fx.servers.connect(fx.sourceDb);
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + notes + " VALUES (1, 'Toast', ?, 'ann')")) {
            ps.setString(1, body);
            ps.execute();
        }
        await().atMost(TIMEOUT).until(() -> fx.stored("notes").containsKey("1"));
        float[] vectorBefore = fx.storedVectors("notes").get("1");
        double embeddedBefore = streamsMetrics().embeddedCount();

        fx.sql(fx.sourceDb, "UPDATE " + notes + " SET author = 'bob' WHERE id = 1");

        await().atMost(TIMEOUT).until(() -> "bob".equals(fx.stored("notes").get("1").author()));
        assertThat(fx.stored("notes").get("1").content()).isEqualTo("Toast: " + body);
        assertThat(fx.storedVectors("notes").get("1")).containsExactly(vectorBefore);
        assertThat(streamsMetrics().embeddedCount()).isEqualTo(embeddedBefore);
        ChangeEvent update = lastCdcEvent(notes,
                e -> e.op() == Operation.UPDATE && Integer.valueOf(1).equals(e.after().get("id")));
        assertThat(update.after().get("body"))
                .as("Debezium really sent the placeholder, so the TOAST path was exercised")
                .isEqualTo(ChangeEvent.UNAVAILABLE_VALUE);
    }

    @Test
    void replayedOlderCdcEventDoesNotOverwriteTheNewerRow() throws Exception {
        fx.sql(fx.sourceDb, "INSERT INTO " + notes + " VALUES (2, 'Replay', 'first', 'ann')");
        await().atMost(TIMEOUT).until(() -> fx.stored("notes").containsKey("2"));
        fx.sql(fx.sourceDb, "UPDATE " + notes + " SET body = 'second' WHERE id = 2");
        await().atMost(TIMEOUT).until(() -> "Replay: second".equals(fx.stored("notes").get("2").content()));
        double staleBefore = streamsMetrics().staleCount();

        ConsumerRecord<String, String> insert = lastRecord(Topics.cdc(new TableId("public", notes)),
                r -> r.value() != null && r.value().contains("\"first\""));
        produce(insert.topic(), insert.key(), insert.value());

        await().atMost(TIMEOUT).until(() -> streamsMetrics().staleCount() > staleBefore);
        assertThat(fx.stored("notes").get("2").content()).isEqualTo("Replay: second");
    }

    @Test
    void replayedOlderSinkRecordDoesNotOverwriteTheNewerRow() throws Exception {
        fx.sql(fx.sourceDb, "INSERT INTO " + notes + " VALUES (3, 'Sink replay', 'first', 'ann')");
        await().atMost(TIMEOUT).until(() -> fx.stored("notes").containsKey("3"));
        fx.sql(fx.sourceDb, "UPDATE " + notes + " SET body = 'second' WHERE id = 3");
        await().atMost(TIMEOUT).until(() -> "Sink replay: second".equals(fx.stored("notes").get("3").content()));
        SinkMetrics sink = pipeline.sinkMetrics(SinkName.PGVECTOR).orElseThrow();
        double skippedBefore = sink.skippedCount();

        String sinkTopic = new Topics(pipelineName).sink(SinkName.PGVECTOR);
        ConsumerRecord<String, String> first = lastRecord(sinkTopic,
                r -> "notes/3".equals(r.key()) && r.value().contains("Sink replay: first"));
        produce(sinkTopic, first.key(), first.value());

        await().atMost(TIMEOUT).until(() -> sink.skippedCount() > skippedBefore);
        assertThat(fx.stored("notes").get("3").content()).isEqualTo("Sink replay: second");
    }

    private static EnrichmentMetrics streamsMetrics() {
        return pipeline.streams().orElseThrow().metrics();
    }

    private static void awaitStoreEqualsSource(String collection, String table, int rows) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, PipelineFixture.Doc> expected = fx.expected(table);
            assertThat(expected).hasSize(rows);
            assertThat(fx.stored(collection)).isEqualTo(expected);
        });
    }

    private static void assertEveryVectorIsTheModelsEmbeddingOfTheSourceText(String collection, String table)
            throws Exception {
        Map<String, PipelineFixture.Doc> expected = fx.expected(table);
        Map<String, float[]> stored = fx.storedVectors(collection);
        List<String> ids = new ArrayList<>(expected.keySet());
        List<String> texts = ids.stream().map(id -> expected.get(id).content()).toList();
        MiniLmEmbeddingProvider model = new MiniLmEmbeddingProvider();
        List<float[]> truth = new ArrayList<>();
        for (int from = 0; from < texts.size(); from += 128) {
            truth.addAll(model.embed(texts.subList(from, Math.min(texts.size(), from + 128))));
        }
        for (int i = 0; i < ids.size(); i++) {
            assertThat(PipelineFixture.cosine(stored.get(ids.get(i)), truth.get(i)))
                    .as("cosine of stored vs fresh embedding of %s", ids.get(i)).isGreaterThanOrEqualTo(0.999);
        }
    }

    private static ChangeEvent lastCdcEvent(String table, Predicate<ChangeEvent> filter) {
        ConsumerRecord<String, String> r = lastRecord(Topics.cdc(new TableId("public", table)),
                rec -> rec.value() != null && filter.test(CdcRecordParser.parse(rec.key(), rec.value())));
        return CdcRecordParser.parse(r.key(), r.value());
    }

    /** The last record of the topic matching the filter, reading it from the beginning. */
    private static ConsumerRecord<String, String> lastRecord(String topic,
                                                             Predicate<ConsumerRecord<String, String>> filter) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, fx.servers.kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            ConsumerRecord<String, String> last = null;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (filter.test(r)) {
                        last = r;
                    }
                }
            }
            assertThat(last).as("a record in %s matching the filter", topic).isNotNull();
            return last;
        }
    }

    private static void produce(String topic, String key, String value) throws Exception {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, fx.servers.kafkaBootstrap());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private static final String[] WORDS = ("river mountain database kafka vector search engine garden music "
            + "football orbit rocket bread oven tomato violin piano stadium goal planet moon index query replica "
            + "stream batch window harbor lantern meadow thunder glacier desert canyon forest").split(" ");

    static String sentence(Random random) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            s.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return s.toString();
    }

    private static String incompressibleText(int length) {
        Random random = new Random(7);
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append((char) ('a' + random.nextInt(26)));
        }
        return s.toString();
    }
}
