package io.vectorsync.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.config.AppConfigLoader;
import io.vectorsync.app.pipeline.Pipeline;
import io.vectorsync.app.pipeline.Role;
import io.vectorsync.app.pipeline.Stores;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.sink.api.StoredDocument;
import io.vectorsync.sink.runner.SinkMetrics;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code vectorsync dlq} end to end on the real servers: a DBA's CHECK constraint on the pgvector table refuses one
 * long document, so the pgvector sink dead-letters it while Neo4j and Milvus store it. Once the constraint is
 * dropped, {@code dlq replay} sends the change back to the pgvector sink topic and every store equals the source;
 * a second replay changes nothing (the LSN guard skips it); after {@code dlq purge} {@code dlq list} no longer shows
 * it.
 */
@ExtendWith(LocalServers.class)
class DlqIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

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

    /** What a command printed on stdout, and its exit code. */
    record Run(int code, String out) {
    }

    @Test
    void aChangeRefusedByAStoreIsReplayedAfterTheFixLandsOnceAndIsGoneFromTheListAfterPurge() throws Exception {
        Services servers = LocalServers.get();
        fx = new PipelineFixture(servers);
        String table = "dlq_" + fx.suffix;
        fx.createDocumentTable(table);
        Map<String, String> raw = fx.config(stateDir);
        PipelineFixture.mapCollection(raw, table, table);
        raw.put("collections." + table + ".sinks", "pgvector,neo4j,milvus");
        raw.put("sink.neo4j.uri", servers.neo4jUri());
        raw.put("sink.milvus.uri", servers.milvusUri());
        Path configFile = PipelineFixture.writeConfig(stateDir.resolve("vectorsync.properties"), raw);
        AppConfig config = AppConfigLoader.load(raw, true);
        for (SinkName store : SinkName.values()) {
            readers.put(store, Stores.reader(config, store));
        }
        pipeline = Pipeline.start(config, EnumSet.allOf(Role.class), new SimpleMeterRegistry());

        fx.insertDocuments(table, 1, 5);
        awaitEveryStoreEqualsTheSource(table);

        // The cause: a constraint the store's owner added, which a long document breaks.
        fx.sql(fx.sinkDb, "ALTER TABLE " + table + " ADD CONSTRAINT content_short CHECK (length(content) <= 400)");
        fx.sql(fx.sourceDb, "INSERT INTO " + table + " VALUES (6, 'Document 6', repeat('a long body ', 50),"
                + " 'author6')");
        fx.insertDocuments(table, 7, 7);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(fx.stored(table)).containsKey("7");
            assertThat(listJson(configFile, table)).hasSize(1);
        });
        assertThat(fx.stored(table)).doesNotContainKey("6");
        JsonNode letter = listJson(configFile, table).get(0);
        assertThat(letter.get("stage").asText()).isEqualTo("sink:pgvector");
        assertThat(letter.get("key").asText()).isEqualTo("6");
        assertThat(letter.get("state").asText()).isEqualTo("new");
        assertThat(letter.get("reason").asText()).contains("content_short");
        Run list = cli("dlq", "list", "--collection", table, "--reason", "content_short", "--config",
                configFile.toString());
        assertThat(list.code()).isZero();
        assertThat(list.out()).contains(letter.get("coordinates").asText(), "sink:pgvector", "1 dead letters");

        // The fix, then the replay: row 6 lands in pgvector; every store equals the source.
        fx.sql(fx.sinkDb, "ALTER TABLE " + table + " DROP CONSTRAINT content_short");
        Run replay = cli("dlq", "replay", "--collection", table, "--config", configFile.toString());
        assertThat(replay.code()).isZero();
        assertThat(replay.out()).contains("replayed 1 of 1 dead letters: 1 changes sent back to their sink topics");
        awaitEveryStoreEqualsTheSource(table);
        StoredDocument replayed = readers.get(SinkName.PGVECTOR).findAll(table, List.of("6")).get("6");
        assertThat(letter(configFile, table).get("state").asText()).isEqualTo("replayed");

        // A second replay applies nothing: the LSN guard skips the change it already has.
        SinkMetrics pgvector = pipeline.sinkMetrics(SinkName.PGVECTOR).orElseThrow();
        double skipped = pgvector.skippedCount();
        Run again = cli("dlq", "replay", "--offset", letter.get("coordinates").asText(), "--config",
                configFile.toString());
        assertThat(again.code()).isZero();
        assertThat(again.out()).contains("replayed 1 of 1", "1 had been replayed before");
        await().atMost(TIMEOUT).until(() -> pgvector.skippedCount() >= skipped + 1);
        StoredDocument after = readers.get(SinkName.PGVECTOR).findAll(table, List.of("6")).get("6");
        assertThat(after.sourceLsn()).isEqualTo(replayed.sourceLsn());
        assertThat(after.contentHash()).isEqualTo(replayed.contentHash());
        awaitEveryStoreEqualsTheSource(table);

        // Purge: gone from list and replay; a second purge finds it already purged.
        Run purge = cli("dlq", "purge", "--collection", table, "--config", configFile.toString());
        assertThat(purge.code()).isZero();
        assertThat(purge.out()).contains("purged 1 dead letters");
        assertThat(listJson(configFile, table)).isEmpty();
        assertThat(cli("dlq", "list", "--collection", table, "--config", configFile.toString()).out())
                .contains("0 dead letters");
        assertThat(cli("dlq", "replay", "--collection", table, "--config", configFile.toString()).out())
                .contains("no dead letter matches; nothing replayed");
        assertThat(cli("dlq", "purge", "--collection", table, "--config", configFile.toString()).out())
                .contains("purged 0 dead letters (1 more matched, already purged)");
        assertThat(cli("dlq", "list", "--collection", table, "--purged", "--config", configFile.toString()).out())
                .contains("purged", "1 dead letters");
    }

    @Test
    void changesTheStreamsWorkerRefusedAreReDrivenFromTheSourceOnceTheMappedColumnIsBack() throws Exception {
        Services servers = LocalServers.get();
        fx = new PipelineFixture(servers);
        String table = "dlqcol_" + fx.suffix;
        fx.createDocumentTable(table);
        Map<String, String> raw = fx.config(stateDir);
        PipelineFixture.mapCollection(raw, table, table);
        raw.put("collections." + table + ".sinks", "pgvector,neo4j,milvus");
        raw.put("sink.neo4j.uri", servers.neo4jUri());
        raw.put("sink.milvus.uri", servers.milvusUri());
        Path configFile = PipelineFixture.writeConfig(stateDir.resolve("vectorsync.properties"), raw);
        AppConfig config = AppConfigLoader.load(raw, true);
        for (SinkName store : SinkName.values()) {
            readers.put(store, Stores.reader(config, store));
        }
        pipeline = Pipeline.start(config, EnumSet.allOf(Role.class), new SimpleMeterRegistry());
        fx.insertDocuments(table, 1, 3);
        awaitEveryStoreEqualsTheSource(table);

        // The cause: the column the mapping's metadata reads is dropped; the next two changes are refused.
        fx.sql(fx.sourceDb, "ALTER TABLE " + table + " DROP COLUMN author");
        fx.sql(fx.sourceDb, "INSERT INTO " + table + " (id, title, body) VALUES (4, 'Document 4', 'after the drop')");
        fx.sql(fx.sourceDb, "UPDATE " + table + " SET body = 'edited after the drop' WHERE id = 2");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(listJson(configFile, table)).hasSize(2));
        List<JsonNode> letters = listJson(configFile, table);
        assertThat(letters).extracting(l -> l.get("stage").asText()).containsOnly("streams");
        assertThat(letters).extracting(l -> l.get("key").asText()).containsExactlyInAnyOrder("id=4", "id=2");
        assertThat(letters).extracting(l -> l.get("reason").asText()).containsOnly("column 'author' mapped by"
                + " collection '" + table + "' is not in the change of public." + table);

        // The fix: the column is back (rows 1 and 3 get their authors again through the pipeline); then the replay
        // re-drives rows 2 and 4 from the source, which now maps them, into every store.
        fx.sql(fx.sourceDb, "ALTER TABLE " + table + " ADD COLUMN author text");
        fx.sql(fx.sourceDb, "UPDATE " + table + " SET author = 'author' || id WHERE id IN (1, 3)");
        Run replay = cli("dlq", "replay", "--reason", "column 'author'", "--config", configFile.toString());
        assertThat(replay.code()).as(replay.out()).isZero();
        assertThat(replay.out()).contains("replayed 2 of 2 dead letters: 0 changes sent back to their sink topics,"
                + " 2 rows read again from the source, 0 deletes");
        awaitEveryStoreEqualsTheSource(table);
        assertThat(fx.stored(table)).containsEntry("2", new PipelineFixture.Doc(
                "Document 2: edited after the drop", null)).containsEntry("4", new PipelineFixture.Doc(
                "Document 4: after the drop", null));
    }

    @Test
    void replayAndPurgeRefuseToActOnEveryDeadLetterUnlessAskedAndABadOffsetIsBadInput() throws Exception {
        Services servers = LocalServers.get();
        fx = new PipelineFixture(servers);
        Map<String, String> raw = fx.config(stateDir);
        PipelineFixture.mapCollection(raw, "t_" + fx.suffix, "t_" + fx.suffix);
        Path configFile = PipelineFixture.writeConfig(stateDir.resolve("vectorsync.properties"), raw);
        assertThat(cli("dlq", "replay", "--config", configFile.toString()).code()).isEqualTo(2);
        assertThat(cli("dlq", "purge", "--config", configFile.toString()).code()).isEqualTo(2);
        assertThat(cli("dlq", "list", "--offset", "nonsense", "--config", configFile.toString()).code())
                .isEqualTo(2);
        fx = null; // no pipeline, no slot
    }

    private void awaitEveryStoreEqualsTheSource(String table) {
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Map<String, PipelineFixture.Doc> expected = fx.expected(table);
            for (SinkName store : SinkName.values()) {
                assertThat(PipelineFixture.differences(readers.get(store), table, expected)).as(store.id())
                        .isEmpty();
                assertThat(readers.get(store).findAll(table, expected.keySet())).as(store.id())
                        .hasSameSizeAs(expected);
            }
            assertThat(fx.stored(table).keySet()).isEqualTo(expected.keySet());
        });
    }

    private static JsonNode letter(Path configFile, String table) throws IOException {
        List<JsonNode> letters = listJson(configFile, table);
        assertThat(letters).hasSize(1);
        return letters.get(0);
    }

    private static List<JsonNode> listJson(Path configFile, String table) throws IOException {
        Run run = cli("dlq", "list", "--collection", table, "--json", "--config", configFile.toString());
        assertThat(run.code()).as(run.out()).isZero();
        List<JsonNode> letters = new ArrayList<>();
        Json.mapper().readTree(run.out()).forEach(letters::add);
        return letters;
    }

    /** Runs a command with stdout captured; the pipeline's logs do not go to System.out. */
    private static synchronized Run cli(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            int code = Main.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }
}
