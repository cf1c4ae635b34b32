package io.vectorsync.app.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP server of a process without the streams role: {@code /health} with its own parts (open),
 * {@code /metrics} behind the token, every other path 404 naming the streams role; failures and their secrets masked.
 */
class RoleHttpTest {
    private static final String TOKEN = "role-t0ken";
    private static final String SCRAPE = "vectorsync_sink_written_total{instance=\"s-1\",sink=\"pgvector\"} 3.0\n";

    private final HttpClient client = HttpClient.newHttpClient();
    private final Map<String, String> parts = new LinkedHashMap<>(Map.of("sink.pgvector", "RUNNING"));
    private Optional<String> failure = Optional.empty();
    private List<String> warnings = List.of();
    private RoleHttp http;

    @AfterEach
    void stop() {
        if (http != null) {
            http.close();
        }
    }

    private void start(String token) {
        http = new RoleHttp(new HttpConfig("127.0.0.1", 0, token, Optional.empty(), 65_536, 2_000), "sink",
                new HealthEndpoint(() -> failure, () -> warnings, () -> parts),
                new MetricsEndpoint(Optional.of(() -> SCRAPE)));
        http.start();
    }

    @Test
    void healthNamesThisProcessesPartsAndAFailedOneWithItsReasonSecretsMasked() throws Exception {
        start(TOKEN);
        assertThat(get("/health", null))
                .isEqualTo("200 {\"status\":\"UP\",\"parts\":{\"sink.pgvector\":\"RUNNING\"}}");

        warnings = List.of("captured table public.articles was dropped");
        assertThat(get("/health", null)).isEqualTo("200 {\"status\":\"DEGRADED\",\"warnings\":[\"captured table"
                + " public.articles was dropped\"],\"parts\":{\"sink.pgvector\":\"RUNNING\"}}");

        String reason = "java.sql.SQLException: cannot reach jdbc:postgresql://h/v?password=s3cr3t";
        parts.put("sink.pgvector", "FAILED: " + reason);
        failure = Optional.of("sink pgvector: " + reason);
        assertThat(get("/health", null)).isEqualTo("503 {\"status\":\"DOWN\",\"failure\":\"sink pgvector:"
                + " java.sql.SQLException: cannot reach jdbc:postgresql://h/v?password=****\",\"parts\":{"
                + "\"sink.pgvector\":\"FAILED: java.sql.SQLException: cannot reach"
                + " jdbc:postgresql://h/v?password=****\"}}");
    }

    @Test
    void metricsNeedTheTokenAsOnTheFullApi() throws Exception {
        start(TOKEN);
        assertThat(get("/metrics", null)).startsWith("401 ");
        assertThat(get("/metrics", "wrong")).isEqualTo("403 {\"error\":\"the API token is wrong\"}");
        assertThat(get("/metrics", TOKEN)).isEqualTo("200 " + SCRAPE);
        assertThat(get("/metricsx", TOKEN)).startsWith("404 ");
    }

    @Test
    void theApisPathsAreAnswered404NamingTheStreamsRole() throws Exception {
        start("");
        for (String path : List.of("/", "/v1/modes", "/api/overview", "/v1/collections/articles/search")) {
            assertThat(get(path, null)).as(path).isEqualTo("404 {\"error\":\"" + path + " is served by a process"
                    + " running the streams role (vectorsync streams, or vectorsync run); this process runs sink and"
                    + " serves only /health and /metrics\"}");
        }
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(uri("/health"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + http.port() + path);
    }

    private String get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }
}
