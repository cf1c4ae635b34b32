package io.vectorsync.app;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.config.AppConfigLoader;
import io.vectorsync.app.pipeline.Pipeline;
import io.vectorsync.app.pipeline.Role;
import io.vectorsync.app.pipeline.Stores;
import io.vectorsync.core.DeadLetterHeaders;
import io.vectorsync.core.model.ContentHash;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.sink.api.StoredDocument;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rows too large for {@code kafka.max.record.bytes} (600,000 here): a 2 MB row, a 20 MB row, and a 400 KB row whose
 * update under {@code REPLICA IDENTITY FULL} carries it twice (before and after). Each change over the limit is
 * dead-lettered with its reason; the pipeline keeps running and the rows written after them reach pgvector and
 * Neo4j. The 400 KB row itself fits, so its insert is applied and only its update is dead-lettered.
 */
@ExtendWith(LocalServers.class)
class OversizedRowIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final int LIMIT = 600_000;
    private static final List<SinkName> STORES = List.of(SinkName.PGVECTOR, SinkName.NEO4J);

    @TempDir
    Path stateDir;

    private PipelineFixture fx;
    private Pipeline pipeline;
    private final Map<SinkName, SinkReader> readers = new EnumMap<>(SinkName.class);

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        readers.values().forEach(SinkReader::close);
        if (fx != null) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(fx::dropSlot);
        }
    }

    @Test
    void rowsOverTheRecordLimitAreDeadLetteredWithTheirReasonAndLaterRowsStillArrive() throws Exception {
        Services servers = LocalServers.get();
        fx = new PipelineFixture(servers);
        String table = "big_" + fx.suffix;
        fx.createDocumentTable(table);
        fx.sql(fx.sourceDb, "ALTER TABLE " + table + " REPLICA IDENTITY FULL");
        Map<String, String> raw = fx.config(stateDir);
        PipelineFixture.mapCollection(raw, table, table);
        raw.put("collections." + table + ".sinks", "pgvector,neo4j");
        raw.put("sink.neo4j.uri", servers.neo4jUri());
        raw.put("kafka.max.record.bytes", Integer.toString(LIMIT));
        AppConfig config = AppConfigLoader.load(raw, true);
        for (SinkName store : STORES) {
            readers.put(store, Stores.reader(config, store));
        }
        pipeline = Pipeline.start(config, EnumSet.allOf(Role.class), new SimpleMeterRegistry());

        fx.insertDocuments(table, 1, 5);
        awaitStoresHold(table, fx.expected(table));

        insertRow(table, 100, words(2_000_000));
        insertRow(table, 101, words(20_000_000));
        fx.insertDocuments(table, 6, 10);
        String fits = words(400_000);
        insertRow(table, 200, fits);
        fx.sql(fx.sourceDb, "UPDATE " + table + " SET body = body || ' (revised)' WHERE id = 200");
        fx.insertDocuments(table, 11, 15);

        Map<String, PipelineFixture.Doc> expected = fx.expected(table);
        expected.remove("100");
        expected.remove("101");
        // The update of row 200 was dead-lettered: the stores keep the row as inserted.
        expected.put("200", new PipelineFixture.Doc("Row 200: " + fits, "author200"));
        awaitStoresHold(table, expected);

        List<ConsumerRecord<String, String>> dlq = fx.deadLetters(config.kafka().topics().deadLetters(), 3, TIMEOUT);
        assertThat(dlq).extracting(r -> PipelineFixture.header(r, DeadLetterHeaders.ERROR_CLASS)).containsOnly(
                "io.vectorsync.core.kafka.OversizedRecordException");
        assertThat(dlq).extracting(r -> PipelineFixture.header(r, DeadLetterHeaders.SOURCE_TOPIC))
                .containsOnly("cdc.public." + table);
        Map<Integer, String> reasons = dlq.stream().collect(Collectors.toMap(OversizedRowIT::rowId,
                r -> PipelineFixture.header(r, DeadLetterHeaders.ERROR_MESSAGE)));
        assertThat(reasons).containsOnlyKeys(100, 101, 200);
        assertThat(reasons.values()).allSatisfy(reason -> assertThat(reason)
                .matches("record of \\d+ bytes is over kafka\\.max\\.record\\.bytes \\(600000\\), key .*"));
        assertThat(bytesIn(reasons.get(100))).isGreaterThan(2_000_000);
        assertThat(bytesIn(reasons.get(101))).isGreaterThan(20_000_000);
        assertThat(bytesIn(reasons.get(200))).as("before and after of the 400 KB row").isGreaterThan(800_000);
        assertThat(pipeline.failure()).isEmpty();
    }

    private void awaitStoresHold(String collection, Map<String, PipelineFixture.Doc> expected) {
        Map<String, String> wanted = new TreeMap<>();
        expected.forEach((id, doc) -> wanted.put(id, digest(doc.content(), doc.author())));
        for (SinkName store : STORES) {
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(pipeline.failure()).as("pipeline failure").isEmpty();
                assertThat(stored(store, collection)).as("%s holds", store).isEqualTo(wanted);
            });
        }
    }

    /** What the store holds for the ids 1..300: id → digest of (content, author), as {@link #digest}. */
    private Map<String, String> stored(SinkName store, String collection) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 300; i++) {
            ids.add(Integer.toString(i));
        }
        Map<String, String> docs = new TreeMap<>();
        for (Map.Entry<String, StoredDocument> e : readers.get(store).findAll(collection, ids).entrySet()) {
            Object author = e.getValue().metadata().get("author");
            docs.put(e.getKey(), digest(e.getValue().content(), author == null ? null : author.toString()));
        }
        return docs;
    }

    /** Content by length and hash, so a failure prints lines, not megabytes. */
    private static String digest(String content, String author) {
        return content.length() + " chars " + ContentHash.sha256(content).substring(0, 12) + " by " + author;
    }

    private void insertRow(String table, int id, String body) throws Exception {
        try (Connection c = fx.servers.connect(fx.sourceDb);
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?, ?)")) {
            ps.setInt(1, id);
            ps.setString(2, "Row " + id);
            ps.setString(3, body);
            ps.setString(4, "author" + id);
            ps.executeUpdate();
        }
    }

    /** Text of about {@code chars} characters, in words, as a long document would be. */
    private static String words(int chars) {
        String sentence = "the quick brown fox jumps over the lazy dog while the river runs past the old mill ";
        StringBuilder s = new StringBuilder(chars + sentence.length());
        while (s.length() < chars) {
            s.append(sentence);
        }
        return s.substring(0, chars).trim();
    }

    /** The row id in a dead letter's key, Debezium's {@code {"id":N}}. */
    private static int rowId(ConsumerRecord<String, String> record) {
        String key = record.key();
        return Integer.parseInt(key.replaceAll(".*\"id\"\\s*:\\s*(\\d+).*", "$1"));
    }

    private static long bytesIn(String reason) {
        return Long.parseLong(reason.replaceAll("record of (\\d+) bytes.*", "$1"));
    }
}
