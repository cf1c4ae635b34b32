package io.vectorsync.app;

import io.vectorsync.testkit.LocalServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pipeline as its own process, killed with SIGKILL (no shutdown hook, no flush) in the middle of a 5,000-row
 * load, then restarted: the store must equal the source exactly.
 */
@ExtendWith(LocalServers.class)
class CrashRecoveryIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @TempDir
    Path work;

    private PipelineFixture fx;
    private Process process;

    @AfterEach
    void cleanUp() throws Exception {
        if (process != null) {
            process.destroyForcibly().waitFor();
        }
        if (fx != null) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(fx::dropSlot);
        }
    }

    @Test
    void killedMidLoadAndRestartedTheStoreEqualsTheSourceExactly() throws Exception {
        fx = new PipelineFixture(LocalServers.get());
        String table = "load_" + fx.suffix;
        fx.createDocumentTable(table);
        Map<String, String> config = fx.config(work.resolve("state"));
        PipelineFixture.mapCollection(config, "load", table);
        Path configFile = work.resolve("vectorsync.properties");
        Files.writeString(configFile, config.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().replace("\\", "\\\\"))
                .collect(Collectors.joining("\n")));

        process = startPipeline(configFile, work.resolve("first-run.log"));
        insertRows(table, 5000);
        await().atMost(TIMEOUT).until(() -> fx.stored("load").size() >= 1000 || !process.isAlive());
        assertThat(process.isAlive()).as("pipeline still running before the kill; log: %s",
                work.resolve("first-run.log")).isTrue();
        int storedAtKill = fx.stored("load").size();
        process.destroyForcibly().waitFor();
        assertThat(storedAtKill).as("killed in the middle of the load").isLessThan(5000);

        fx.sql(fx.sourceDb, "UPDATE " + table + " SET body = body || ' (edited while down)' WHERE id <= 100");
        fx.sql(fx.sourceDb, "DELETE FROM " + table + " WHERE id > 4900");
        process = startPipeline(configFile, work.resolve("second-run.log"));

        await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(process.isAlive()).as("restarted pipeline alive; log: %s", work.resolve("second-run.log"))
                    .isTrue();
            assertThat(fx.stored("load")).isEqualTo(fx.expected(table));
        });
        assertThat(fx.stored("load")).hasSize(4900);
        assertThat(fx.stored("load").get("1").content()).endsWith("(edited while down)");
    }

    private void insertRows(String table, int rows) throws Exception {
        Random random = new Random(5);
        try (Connection c = fx.servers.connect(fx.sourceDb);
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?, ?)")) {
            c.setAutoCommit(false);
            for (int i = 1; i <= rows; i++) {
                ps.setInt(1, i);
                ps.setString(2, "Row " + i);
                ps.setString(3, PipelineIT.sentence(random));
                ps.setString(4, "author" + (i % 5));
                ps.addBatch();
                if (i % 100 == 0) {
                    ps.executeBatch();
                    c.commit();
                }
            }
        }
    }

    private static Process startPipeline(Path configFile, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(List.of(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "run", "--config", configFile.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
