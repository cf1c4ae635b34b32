package io.vectorsync.app;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.app.config.AppConfigLoader;
import io.vectorsync.app.pipeline.Pipeline;
import io.vectorsync.app.pipeline.Role;
import io.vectorsync.testkit.LocalServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A captured table renamed mid-stream (issue 12): the running service says so within seconds on {@code /health},
 * in {@code vectorsync status} and in a metric, and the procedure the README gives to follow the rename (point the
 * collection at the new name, restart, {@code validate --repair}) brings the store back to equal the source,
 * changes made while the rename went unfollowed included. Runs in about a minute.
 */
@ExtendWith(LocalServers.class)
class RenamedTableIT {
    /** What /health names of a process running every role with pgvector as the only store. */
    private static final String ALL_PARTS = "{\"connector\":\"RUNNING\",\"streams\":\"RUNNING\","
            + "\"mode controller\":\"RUNNING\",\"sink.pgvector\":\"RUNNING\"}";

    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path stateDir;

    private static PipelineFixture fx;
    private static Map<String, String> config;
    private static String table;
    private static Pipeline pipeline;
    private static SimpleMeterRegistry registry;

    @BeforeAll
    static void start() throws Exception {
        fx = new PipelineFixture(LocalServers.get());
        table = "articles_" + fx.suffix;
        fx.createDocumentTable(table);
        config = fx.config(stateDir);
        PipelineFixture.mapCollection(config, "articles", table);
        startPipeline();
    }

    private static void startPipeline() {
        registry = new SimpleMeterRegistry();
        pipeline = Pipeline.start(AppConfigLoader.load(config, true), EnumSet.allOf(Role.class), registry);
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(fx::dropSlot);
    }

    @Test
    void aRenameIsReportedEverywhereAndTheDocumentedProcedureCatchesUp() throws Exception {
        fx.insertDocuments(table, 1, 20);
        awaitStoreEqualsSource(table, 20);
        assertThat(get("/health")).isEqualTo("200 {\"status\":\"UP\",\"parts\":" + ALL_PARTS + "}");

        String renamed = table + "_v2";
        fx.sql(fx.sourceDb, "ALTER TABLE " + table + " RENAME TO " + renamed);
        String warning = "captured table public." + table + " (collection articles) was renamed to public." + renamed
                + ": its changes are no longer captured. To follow the rename, set the collection's table to public."
                + renamed + ", restart, then run 'vectorsync validate --repair' (README: 'A captured table is"
                + " renamed')";
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(get("/health"))
                .isEqualTo("200 {\"status\":\"DEGRADED\",\"warnings\":[\"" + warning + "\"],\"parts\":" + ALL_PARTS
                        + "}"));
        assertThat(registry.get("vectorsync.capture.tables.missing").gauge().value()).isEqualTo(1.0);
        assertThat(status()).contains("NEEDS ATTENTION: " + warning);

        // Changes while the rename is not followed: captured by nothing.
        fx.insertDocuments(renamed, 21, 30);
        fx.sql(fx.sourceDb, "UPDATE " + renamed + " SET author = 'editor' WHERE id = 1");
        fx.sql(fx.sourceDb, "DELETE FROM " + renamed + " WHERE id = 2");

        // The procedure: point the collection at the new name, restart, repair.
        pipeline.close();
        pipeline = null;
        PipelineFixture.mapCollection(config, "articles", renamed);
        startPipeline();
        assertThat(get("/health")).isEqualTo("200 {\"status\":\"UP\",\"parts\":" + ALL_PARTS + "}");
        assertThat(validate("--repair", "--repair-timeout", "120")).as("validate --repair exit code").isZero();
        awaitStoreEqualsSource(renamed, 29);

        fx.insertDocuments(renamed, 31, 35);
        awaitStoreEqualsSource(renamed, 34);
        assertThat(registry.get("vectorsync.capture.tables.missing").gauge().value()).isZero();
    }

    private static void awaitStoreEqualsSource(String sourceTable, int rows) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, PipelineFixture.Doc> expected = fx.expected(sourceTable);
            assertThat(expected).hasSize(rows);
            assertThat(fx.stored("articles")).isEqualTo(expected);
        });
    }

    private static int validate(String... args) throws Exception {
        Path file = PipelineFixture.writeConfig(stateDir.resolve("validate.properties"), config);
        String[] all = new String[args.length + 3];
        all[0] = "validate";
        all[1] = "--config";
        all[2] = file.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return Main.execute(all);
    }

    private static String status() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream before = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.execute("status", "--url", "http://127.0.0.1:" + pipeline.httpPort().orElseThrow()))
                    .as("vectorsync status exit code").isZero();
        } finally {
            System.setOut(before);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String get(String path) throws Exception {
        return PipelineFixture.get(pipeline, path);
    }
}
