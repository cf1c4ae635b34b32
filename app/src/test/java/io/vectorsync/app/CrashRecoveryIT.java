package io.vectorsync.app;

import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.config.AppConfigLoader;
import io.vectorsync.app.pipeline.Stores;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.testkit.BackgroundWriter;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pipeline as its own process, killed with SIGKILL (no shutdown hook, no flush) while a writer is still
 * inserting, then restarted while the writer goes on: pgvector, Neo4j and Milvus must each equal the source exactly.
 */
@ExtendWith(LocalServers.class)
class CrashRecoveryIT {
    private static final Logger LOG = LoggerFactory.getLogger(CrashRecoveryIT.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    /** The writer: ten rows per source transaction, about ten transactions a second, 1,500 rows. */
    private static final int ROWS_PER_WRITE = 10;
    private static final int WRITES = 150;
    /** Rows inserted before the writer starts, to see the pipeline flow first. */
    private static final int FIRST_ROWS = 100;
    private static final int ROWS = FIRST_ROWS + ROWS_PER_WRITE * WRITES;

    @TempDir
    Path work;

    private PipelineFixture fx;
    private Process process;
    private BackgroundWriter writer;
    private final Map<SinkName, SinkReader> readers = new EnumMap<>(SinkName.class);

    @AfterEach
    void cleanUp() throws Exception {
        try {
            if (writer != null) {
                writer.close(); // throws the writer's error, if it had one
            }
        } finally {
            if (process != null) {
                process.destroyForcibly().waitFor();
            }
            readers.values().forEach(SinkReader::close);
            if (fx != null) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(fx::dropSlot);
            }
        }
    }

    @Test
    void killedWhileRowsAreStillInsertedAndRestartedEveryStoreEqualsTheSourceExactly() throws Exception {
        Services servers = LocalServers.get();
        fx = new PipelineFixture(servers);
        String table = "load_" + fx.suffix;
        fx.createDocumentTable(table);
        Map<String, String> config = fx.config(work.resolve("state"));
        PipelineFixture.mapCollection(config, table, table);
        config.put("collections." + table + ".sinks", "pgvector,neo4j,milvus");
        config.put("sink.neo4j.uri", servers.neo4jUri());
        config.put("sink.milvus.uri", servers.milvusUri());
        config.put("sink.milvus.timeout.ms", "10000");
        Path configFile = work.resolve("vectorsync.properties");
        Files.writeString(configFile, config.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().replace("\\", "\\\\"))
                .collect(Collectors.joining("\n")));
        AppConfig appConfig = AppConfigLoader.load(config, true);
        for (SinkName store : SinkName.values()) {
            readers.put(store, Stores.reader(appConfig, store));
        }

        process = startPipeline(configFile, work.resolve("first-run.log"));
        Random random = new Random(5);
        fx.insertRows(table, 1, FIRST_ROWS, random);
        SinkReader pgvector = readers.get(SinkName.PGVECTOR);
        await().atMost(TIMEOUT).until(() -> pgvector.count(table) >= FIRST_ROWS / 2 || !process.isAlive());
        // The pipeline flows: now a writer that is still inserting when the process dies, and after it restarts.
        AtomicInteger next = new AtomicInteger(FIRST_ROWS + 1);
        writer = BackgroundWriter.start("crash-rows", Duration.ofMillis(100), WRITES,
                () -> fx.insertRows(table, next.getAndAdd(ROWS_PER_WRITE), ROWS_PER_WRITE, random));
        await().atMost(TIMEOUT).until(() -> writer.writes() >= WRITES / 4 || writer.finished());
        assertThat(process.isAlive()).as("pipeline still running before the kill; log: %s",
                work.resolve("first-run.log")).isTrue();
        process.destroyForcibly().waitFor();
        int writtenAtKill = writer.writes() * ROWS_PER_WRITE;
        LOG.info("killed with {} rows in pgvector, {} + {} written to the source", pgvector.count(table),
                FIRST_ROWS, writtenAtKill);
        assertThat(writer.finished()).as("the writer still inserting at the kill").isFalse();

        // Changes while the process is down, then a restart while the writer still goes on.
        fx.sql(fx.sourceDb, "UPDATE " + table + " SET body = body || ' (edited while down)' WHERE id <= 50");
        fx.sql(fx.sourceDb, "DELETE FROM " + table + " WHERE id BETWEEN 101 AND 120");
        process = startPipeline(configFile, work.resolve("second-run.log"));
        assertThat(writer.awaitFinished(TIMEOUT)).as("the writer finished").isTrue();
        writer.check();
        fx.sql(fx.sourceDb, "UPDATE " + table + " SET author = 'editor' WHERE id BETWEEN 121 AND 140");

        Map<String, PipelineFixture.Doc> expected = fx.expected(table);
        assertThat(expected).hasSize(ROWS - 20);
        for (SinkName store : SinkName.values()) {
            SinkReader reader = readers.get(store);
            await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                assertThat(process.isAlive()).as("restarted pipeline alive; log: %s", work.resolve("second-run.log"))
                        .isTrue();
                assertThat(reader.count(table)).as("%s count", store).isEqualTo(expected.size());
                assertThat(PipelineFixture.differences(reader, table, expected))
                        .as("%s documents that differ", store).isEmpty();
            });
        }
        assertThat(readers.get(SinkName.MILVUS).find(table, "1").orElseThrow().content())
                .endsWith("(edited while down)");
    }

    private static Process startPipeline(Path configFile, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(List.of(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "run", "--config", configFile.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
