package io.vectorsync.app;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.config.AppConfigLoader;
import io.vectorsync.app.pipeline.Pipeline;
import io.vectorsync.app.pipeline.Role;
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

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server the pipeline depends on restarts while changes stream through it: the Kafka broker, then the source
 * PostgreSQL (which also holds pgvector). Each time the pipeline goes on by itself and every store ends exactly equal
 * to the source. The restarts use {@code scripts/services.sh down/up --only …} on the test profile (data kept).
 */
@ExtendWith(LocalServers.class)
class ServerRestartIT {
    private static final Logger LOG = LoggerFactory.getLogger(ServerRestartIT.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    private static final int ROWS_PER_WRITE = 5;
    private static final int WRITES = 100;

    @TempDir
    Path stateDir;

    private PipelineFixture fx;
    private Pipeline pipeline;
    private BackgroundWriter writer;
    private String table;
    private final Map<SinkName, SinkReader> readers = new EnumMap<>(SinkName.class);

    @AfterEach
    void stop() throws Exception {
        try {
            if (writer != null) {
                writer.close(); // throws the writer's error, if it had one
            }
        } finally {
            if (pipeline != null) {
                pipeline.close();
            }
            readers.values().forEach(SinkReader::close);
            if (fx != null) {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(fx::dropSlot);
            }
        }
    }

    @Test
    void kafkaBrokerRestartMidStreamLeavesEveryStoreEqualToTheSource() throws Exception {
        startPipelineAndWriter();
        awaitRowsInPgvector(100);

        LocalServers.services("down", "--only", "kafka");
        LocalServers.services("up", "--only", "kafka");
        LOG.info("Kafka restarted with {} rows written", writer.writes() * ROWS_PER_WRITE);

        finishAndAwaitEveryStoreEqualsTheSource();
    }

    @Test
    void sourcePostgresRestartMidStreamLeavesEveryStoreEqualToTheSource() throws Exception {
        startPipelineAndWriter();
        awaitRowsInPgvector(100);

        // The writer cannot write to a stopped database: it holds still for the restart, then goes on.
        writer.pause();
        try {
            LocalServers.services("down", "--only", "postgres");
            LocalServers.services("up", "--only", "postgres");
        } finally {
            writer.resume();
        }
        LOG.info("PostgreSQL restarted with {} rows written", writer.writes() * ROWS_PER_WRITE);

        finishAndAwaitEveryStoreEqualsTheSource();
    }

    private void startPipelineAndWriter() throws Exception {
        Services servers = LocalServers.get();
        fx = new PipelineFixture(servers);
        table = "restart_" + fx.suffix;
        fx.createDocumentTable(table);
        Map<String, String> raw = fx.config(stateDir);
        PipelineFixture.mapCollection(raw, table, table);
        raw.put("collections." + table + ".sinks", "pgvector,neo4j,milvus");
        raw.put("sink.neo4j.uri", servers.neo4jUri());
        raw.put("sink.milvus.uri", servers.milvusUri());
        raw.put("sink.milvus.timeout.ms", "10000");
        raw.put("sink.retry.backoff.max.ms", "2000");
        AppConfig config = AppConfigLoader.load(raw, true);
        for (SinkName store : SinkName.values()) {
            readers.put(store, Stores.reader(config, store));
        }
        pipeline = Pipeline.start(config, EnumSet.allOf(Role.class), new SimpleMeterRegistry());
        AtomicInteger next = new AtomicInteger(1);
        Random random = new Random(11);
        writer = BackgroundWriter.start("restart-rows", Duration.ofMillis(100), WRITES,
                () -> fx.insertRows(table, next.getAndAdd(ROWS_PER_WRITE), ROWS_PER_WRITE, random));
    }

    /**
     * Waits for {@code rows} in pgvector, holding the writer at half its writes meanwhile, so the restart that follows
     * comes while the writer is still inserting however slowly the pipeline starts (on a loaded CI machine the first
     * 100 rows once took longer than the writer's whole run, and the restart came after the stream).
     */
    private void awaitRowsInPgvector(int rows) {
        await().atMost(TIMEOUT).until(() -> writer.writes() >= WRITES / 2
                || readers.get(SinkName.PGVECTOR).count(table) >= rows);
        writer.pause();
        try {
            await().atMost(TIMEOUT).until(() -> readers.get(SinkName.PGVECTOR).count(table) >= rows);
            assertThat(writer.finished()).as("the writer still inserting").isFalse();
        } finally {
            writer.resume();
        }
    }

    /** Lets the writer finish, changes some rows, and waits for every store to hold exactly the source. */
    private void finishAndAwaitEveryStoreEqualsTheSource() throws Exception {
        assertThat(writer.awaitFinished(TIMEOUT)).as("the writer finished").isTrue();
        writer.check();
        fx.sql(fx.sourceDb, "UPDATE " + table + " SET body = body || ' (after the restart)' WHERE id <= 30");
        fx.sql(fx.sourceDb, "UPDATE " + table + " SET author = 'editor' WHERE id BETWEEN 31 AND 60");
        fx.sql(fx.sourceDb, "DELETE FROM " + table + " WHERE id BETWEEN 61 AND 80");
        Map<String, PipelineFixture.Doc> expected = fx.expected(table);
        assertThat(expected).hasSize(ROWS_PER_WRITE * WRITES - 20);
        for (SinkName store : SinkName.values()) {
            SinkReader reader = readers.get(store);
            await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() -> {
                assertThat(reader.count(table)).as("%s count", store).isEqualTo(expected.size());
                assertThat(PipelineFixture.differences(reader, table, expected)).as("%s documents that differ", store)
                        .isEmpty();
            });
        }
        assertThat(pipeline.failure()).as("pipeline failure").isEmpty();
    }
}
