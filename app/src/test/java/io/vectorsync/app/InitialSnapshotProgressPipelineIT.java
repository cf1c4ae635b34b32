package io.vectorsync.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.app.config.AppConfigLoader;
import io.vectorsync.app.pipeline.Pipeline;
import io.vectorsync.app.pipeline.Role;
import io.vectorsync.core.json.Json;
import io.vectorsync.testkit.LocalServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole service on the real servers, started on a table that already holds some thousands of rows: the initial
 * snapshot's progress shows on {@code /api/overview} (what the dashboard and {@code vectorsync status} show), going
 * up to every row, and in the {@code vectorsync.snapshot.*} meters; pgvector ends up holding exactly the table.
 */
@ExtendWith(LocalServers.class)
class InitialSnapshotProgressPipelineIT {
    private static final int ROWS = 2_000;
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    /** Embedding every row: on a shared 2-core machine under heavy load this has taken over 6 minutes. */
    private static final Duration STORED = Duration.ofMinutes(12);

    @TempDir
    Path stateDir;

    private PipelineFixture fx;
    private Pipeline pipeline;

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(fx::dropSlot);
    }

    @Test
    void theInitialSnapshotShowsDoneOfExpectedRateAndEtaUpToEveryRow() throws Exception {
        fx = new PipelineFixture(LocalServers.get());
        String table = "snapshot_" + fx.suffix;
        fx.createDocumentTable(table);
        fx.insertDocuments(table, 1, ROWS);
        Map<String, String> raw = fx.config(stateDir);
        PipelineFixture.mapCollection(raw, table, table);
        raw.put("collections." + table + ".sinks", "pgvector");
        raw.put("source.backfill.progress.interval.ms", "100");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        pipeline = Pipeline.start(AppConfigLoader.load(raw, true), EnumSet.allOf(Role.class), registry);
        HttpClient http = HttpClient.newHttpClient();
        URI overview = URI.create("http://127.0.0.1:" + pipeline.httpPort().orElseThrow() + "/api/overview");

        List<JsonNode> seen = new ArrayList<>();
        await().atMost(TIMEOUT).until(() -> {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(overview).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode snapshots = Json.read(r.body(), JsonNode.class).path("snapshots");
            if (snapshots.isEmpty()) {
                return false;
            }
            assertThat(snapshots).hasSize(1);
            seen.add(snapshots.get(0));
            return "COMPLETED".equals(snapshots.get(0).path("state").asText());
        });

        JsonNode done = seen.get(seen.size() - 1);
        assertThat(done.path("table").asText()).isEqualTo("public." + table);
        assertThat(done.path("rows_done").asLong()).isEqualTo(ROWS);
        assertThat(done.path("rows_expected").asLong()).isEqualTo(ROWS);
        assertThat(done.path("fraction").asDouble()).isEqualTo(1.0);
        assertThat(done.path("eta_ms").asLong()).isZero();
        assertThat(done.path("rows_per_second").asDouble()).isPositive();
        assertThat(seen).extracting(s -> s.path("rows_done").asLong()).isSorted();
        assertThat(seen.subList(0, seen.size() - 1)).allSatisfy(s -> {
            assertThat(s.path("state").asText()).isEqualTo("RUNNING");
            assertThat(s.path("rows_expected").asLong()).isEqualTo(ROWS);
        });
        String tag = "public." + table;
        assertThat(registry.get("vectorsync.snapshot.rows.done").tag("table", tag).gauge().value())
                .isEqualTo(ROWS);
        assertThat(registry.get("vectorsync.snapshot.rows.expected").tag("table", tag).gauge().value())
                .isEqualTo(ROWS);
        assertThat(registry.get("vectorsync.snapshot.eta").tag("table", tag).gauge().value()).isZero();
        await().atMost(STORED).until(() -> fx.stored(table).size() == ROWS);
        assertThat(fx.stored(table)).isEqualTo(fx.expected(table));
    }
}
