package io.vectorsync.app;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.config.AppConfigLoader;
import io.vectorsync.app.pipeline.Pipeline;
import io.vectorsync.app.pipeline.Role;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three processes of one pipeline, each running one role with its own {@code instance.id} and HTTP port, as the k8s
 * Deployments run them: a sink-only, a streams-only and a connector-only {@link Pipeline}. Rows inserted in the
 * source reach pgvector exactly; each process serves {@code /health} with its own parts and {@code /metrics} with
 * its own meters, every sample tagged with its instance, behind the token; a process without the streams role
 * answers the API's paths 404 naming the streams role.
 */
@ExtendWith(LocalServers.class)
class ObservableRolesIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final String TOKEN = "roles-it-token";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path stateDir;

    private PipelineFixture fx;
    private final List<Pipeline> started = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        // Reverse start order: connector, streams, sink.
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
        if (fx != null) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(fx::dropSlot);
        }
    }

    @Test
    void everyRoleAloneServesItsOwnHealthAndMetricsTaggedWithItsInstance() throws Exception {
        Services servers = LocalServers.get();
        fx = new PipelineFixture(servers);
        String table = "roles_" + fx.suffix;
        fx.createDocumentTable(table);
        Map<String, String> raw = fx.config(stateDir);
        PipelineFixture.mapCollection(raw, table, table);
        raw.put("http.token", TOKEN);

        Pipeline sink = start(raw, "it-sink", Role.SINK);
        Pipeline streams = start(raw, "it-streams", Role.STREAMS);
        Pipeline connector = start(raw, "it-connector", Role.CONNECTOR);
        fx.insertDocuments(table, 1, 3);

        // Exactly the source's rows in pgvector: the three processes form one pipeline.
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(fx.stored(table)).isEqualTo(fx.expected(table)));
        assertThat(fx.stored(table)).hasSize(3);

        // /health: open, this process's own parts.
        assertThat(get(sink, "/health", null))
                .isEqualTo("200 {\"status\":\"UP\",\"parts\":{\"sink.pgvector\":\"RUNNING\"}}");
        assertThat(get(connector, "/health", null))
                .isEqualTo("200 {\"status\":\"UP\",\"parts\":{\"connector\":\"RUNNING\"}}");
        assertThat(get(streams, "/health", null)).isEqualTo("200 {\"status\":\"UP\",\"parts\":{"
                + "\"streams\":\"RUNNING\",\"mode controller\":\"RUNNING\"}}");

        // /metrics: the token rules of the full API, on every process.
        for (Pipeline p : List.of(sink, connector, streams)) {
            assertThat(get(p, "/metrics", null)).startsWith("401 ");
            assertThat(get(p, "/metrics", "wrong")).startsWith("403 ");
        }
        // Each process's own meters, each sample with its instance.
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(metrics(sink, "it-sink"))
                .anyMatch(l -> l.startsWith("vectorsync_sink_written_total{") && l.contains("sink=\"pgvector\"")
                        && l.endsWith(" 3.0")));
        assertThat(metrics(sink, "it-sink")).noneMatch(l -> l.startsWith("vectorsync_capture_")
                || l.startsWith("vectorsync_embedding_"));
        assertThat(metrics(connector, "it-connector"))
                .anyMatch(l -> l.startsWith("vectorsync_capture_records_total{") && l.contains("collection=\"" + table
                        + "\"") && l.endsWith(" 3.0"))
                .noneMatch(l -> l.startsWith("vectorsync_sink_") || l.startsWith("vectorsync_embedding_"));
        assertThat(metrics(streams, "it-streams"))
                .anyMatch(l -> l.startsWith("vectorsync_embedding_texts_total{") && l.endsWith(" 3.0"))
                .noneMatch(l -> l.startsWith("vectorsync_sink_written_") || l.startsWith("vectorsync_capture_records"));

        // The API stays with the streams role; the others say where it is.
        // (The collection does not migrate, so it has no mode status: the map is empty, and answered.)
        assertThat(get(streams, "/v1/modes", TOKEN)).isEqualTo("200 {}");
        for (Pipeline p : List.of(sink, connector)) {
            String roleName = p == sink ? "sink" : "connector";
            for (String path : List.of("/v1/modes", "/api/overview", "/", "/v1/collections/" + table + "/search?q=x")) {
                assertThat(get(p, path, TOKEN)).isEqualTo("404 {\"error\":\"" + path.replaceAll("\\?.*", "")
                        + " is served by a process running the streams role (vectorsync streams, or vectorsync run);"
                        + " this process runs " + roleName + " and serves only /health and /metrics\"}");
            }
        }
    }

    private Pipeline start(Map<String, String> raw, String instance, Role role) {
        Map<String, String> own = new LinkedHashMap<>(raw);
        own.put("instance.id", instance);
        AppConfig config = AppConfigLoader.load(own, role == Role.CONNECTOR);
        Pipeline p = Pipeline.start(config, EnumSet.of(role), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        started.add(p);
        return p;
    }

    /** The sample lines of the scrape, each asserted to carry {@code instance="<instance>"}. */
    private static List<String> metrics(Pipeline p, String instance) throws Exception {
        String scrape = get(p, "/metrics", TOKEN);
        assertThat(scrape).startsWith("200 ");
        List<String> samples = scrape.substring(4).lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertThat(samples).isNotEmpty().allMatch(l -> l.contains("instance=\"" + instance + "\""));
        return samples;
    }

    private static String get(Pipeline p, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + p.httpPort().orElseThrow() + path)).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }
}
