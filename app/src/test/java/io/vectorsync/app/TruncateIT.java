package io.vectorsync.app;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.config.AppConfigLoader;
import io.vectorsync.app.pipeline.Pipeline;
import io.vectorsync.app.pipeline.Role;
import io.vectorsync.app.pipeline.Stores;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import io.vectorsync.validation.CollectionReport;
import io.vectorsync.validation.JsonReport;
import io.vectorsync.validation.StoreReport;
import io.vectorsync.validation.ValidationReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * TRUNCATE of a captured table mid-stream, on the real servers, into pgvector, Neo4j and Milvus at once: rows
 * inserted before it are gone from every store, rows committed after it (some with the very text a truncated row had)
 * are there, and the validator agrees. The Kafka topics have two partitions, so the truncate (which has no key) must
 * reach both stream tasks and every sink.
 */
@ExtendWith(LocalServers.class)
class TruncateIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path stateDir;

    private static PipelineFixture fx;
    private static AppConfig config;
    private static Path configFile;
    private static Pipeline pipeline;
    private static String docs;
    private static final Map<SinkName, SinkReader> readers = new EnumMap<>(SinkName.class);

    @BeforeAll
    static void start() throws Exception {
        Services servers = LocalServers.get();
        fx = new PipelineFixture(servers);
        docs = "trunc_" + fx.suffix;
        fx.createDocumentTable(docs);
        Map<String, String> raw = fx.config(stateDir);
        PipelineFixture.mapCollection(raw, docs, docs);
        raw.put("collections." + docs + ".sinks", "pgvector,neo4j,milvus");
        raw.put("sink.neo4j.uri", servers.neo4jUri());
        raw.put("sink.milvus.uri", servers.milvusUri());
        raw.put("sink.milvus.timeout.ms", "10000");
        raw.put("validate.checkpoint.dir", stateDir.resolve("checkpoints").toString());
        configFile = stateDir.resolve("truncate.properties");
        Properties props = new Properties();
        props.putAll(raw);
        try (Writer out = Files.newBufferedWriter(configFile)) {
            props.store(out, "TruncateIT");
        }
        config = AppConfigLoader.load(raw, true);
        for (SinkName store : SinkName.values()) {
            readers.put(store, Stores.reader(config, store));
        }
        pipeline = Pipeline.start(config, EnumSet.allOf(Role.class), new SimpleMeterRegistry());
    }

    @AfterAll
    static void stop() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
        readers.values().forEach(SinkReader::close);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(fx::dropSlot);
    }

    @Test
    void truncateMidStreamEmptiesEveryStoreOfTheRowsBeforeItAndKeepsTheRowsAfterIt() throws Exception {
        fx.insertDocuments(docs, 1, 200);
        awaitEveryStoreEqualsTheSource(200);

        // Without waiting in between: inserts before the truncate, the truncate, and inserts after it, one of them
        // in the truncate's own transaction, and rows 1-50 again with the very text they had before.
        fx.insertDocuments(docs, 201, 300);
        try (Connection c = fx.servers.connect(fx.sourceDb); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("INSERT INTO " + docs + " VALUES (900, 'Gone', 'inserted before the truncate', 'x')");
            s.execute("TRUNCATE " + docs);
            s.execute("INSERT INTO " + docs + " VALUES (901, 'Kept', 'inserted after the truncate', 'y')");
            c.commit();
        }
        fx.insertDocuments(docs, 1, 50);
        fx.insertDocuments(docs, 301, 340);
        fx.sql(fx.sourceDb, "UPDATE " + docs + " SET body = body || ' (revised)' WHERE id BETWEEN 10 AND 20");
        fx.sql(fx.sourceDb, "DELETE FROM " + docs + " WHERE id BETWEEN 330 AND 340");

        Map<String, PipelineFixture.Doc> expected = awaitEveryStoreEqualsTheSource(1 + 50 + 29);
        assertThat(expected).containsKeys("901", "1", "50", "301").doesNotContainKeys("900", "51", "200", "300");

        Path report = stateDir.resolve("after-truncate.json");
        assertThat(Main.execute("validate", "--config", configFile.toString(), "--format", "json", "--output",
                report.toString())).as("validate's exit code").isZero();
        ValidationReport result = JsonReport.read(Files.readString(report));
        assertThat(result.clean()).isTrue();
        CollectionReport collection = result.collections().get(0);
        assertThat(collection.stores()).extracting(StoreReport::store).containsExactly(SinkName.PGVECTOR,
                SinkName.NEO4J, SinkName.MILVUS);
        assertThat(collection.stores()).allSatisfy(s -> assertThat(s.matched()).isEqualTo(80));
    }

    /** Waits until each store holds exactly the source's documents: the same ids, text, hash, author, a vector. */
    private static Map<String, PipelineFixture.Doc> awaitEveryStoreEqualsTheSource(int rows) throws Exception {
        Map<String, PipelineFixture.Doc> expected = fx.expected(docs);
        assertThat(expected).hasSize(rows);
        List<String> ids = new ArrayList<>(expected.keySet());
        for (SinkName store : SinkName.values()) {
            SinkReader reader = readers.get(store);
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(reader.count(docs)).as("%s documents", store).isEqualTo(rows);
                assertThat(PipelineFixture.differences(reader, docs, expected)).as("%s differences", store)
                        .isEmpty();
                assertThat(reader.ids(docs, null, rows + 1)).as("%s ids", store)
                        .containsExactlyInAnyOrderElementsOf(ids);
            });
        }
        return expected;
    }
}
