package io.vectorsync.app.http;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.app.dashboard.Overview;
import io.vectorsync.app.search.SearchService;
import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.migration.shadow.ShadowReads;
import io.vectorsync.streams.embedding.EmbeddingProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Requests the API must refuse before any store or the model is asked. */
class HttpApiTest {
    private final HttpClient client = HttpClient.newHttpClient();
    private HttpApi api;
    private Optional<String> failure = Optional.empty();
    private List<String> warnings = List.of();
    private RuntimeException overviewFailure;

    @BeforeEach
    void start() {
        MappingConfig mappings = MappingConfig.from(new ConfigReader(Map.of(
                "collections.articles.table", "public.articles",
                "collections.articles.id", "id",
                "collections.articles.template", "{title}")));
        EmbeddingProvider noModel = new EmbeddingProvider() {
            @Override
            public String modelId() {
                return "none";
            }

            @Override
            public int dimension() {
                return 3;
            }

            @Override
            public List<float[]> embed(List<String> texts) {
                throw new AssertionError("a bad request must not reach the model");
            }

            @Override
            public void close() {
            }
        };
        SearchService search = new SearchService(mappings, noModel, store -> {
            throw new AssertionError("a bad request must not reach a store");
        }, c -> Optional.empty(), new ShadowReads(Runnable::run, new SimpleMeterRegistry(), Clock.SYSTEM, 10));
        Monitoring monitoring = new Monitoring(Optional.of(() -> "# HELP vectorsync_up\nvectorsync_up 1.0\n"),
                () -> {
                    if (overviewFailure != null) {
                        throw overviewFailure;
                    }
                    return new Overview("vs-test", 42, 60_000, 300_000, 0, null, List.of(), List.of(), warnings);
                },
                () -> failure, () -> warnings);
        api = new HttpApi(new HttpConfig("127.0.0.1", 0), search, Map::of, monitoring);
        api.start();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void badSearchesAreRefusedWithTheReason() throws Exception {
        assertThat(get("/v1/collections/books/search?q=x")).isEqualTo(
                "404 {\"error\":\"unknown collection 'books'\"}");
        assertThat(get("/v1/collections/articles/search?k=3")).isEqualTo(
                "400 {\"error\":\"q is required: the text to search for\"}");
        assertThat(get("/v1/collections/articles/search?q=x&k=0")).isEqualTo(
                "400 {\"error\":\"k must be between 1 and 100, was 0\"}");
        assertThat(get("/v1/collections/articles/search?q=x&k=ten")).isEqualTo(
                "400 {\"error\":\"k must be a whole number, was 'ten'\"}");
        assertThat(get("/v1/collections/bad-name/search?q=x")).startsWith("404 {\"error\":\"no such path:");
        assertThat(get("/v1/collections/articles/search?q=x&mode=semantic")).isEqualTo(
                "400 {\"error\":\"mode was 'semantic' but it must be one of vector, keyword, hybrid\"}");
        assertThat(get("/v1/collections/articles/search?q=x&mode=hybrid&fusion=sum")).isEqualTo(
                "400 {\"error\":\"fusion was 'sum' but it must be one of rrf, weighted\"}");
        assertThat(get("/v1/collections/articles/search?q=x&mode=hybrid&vector.weight=1.5")).isEqualTo(
                "400 {\"error\":\"vector.weight was '1.5' but it must be a number between 0 and 1\"}");
        assertThat(get("/v1/collections/articles/search?q=x&mode=hybrid&fusion=rrf&vector.weight=0.5")).isEqualTo(
                "400 {\"error\":\"vector.weight was '0.5' but it applies to mode=hybrid with fusion=weighted"
                        + " only\"}");
        assertThat(get("/v1/collections/articles/search?q=x&fusion=rrf")).isEqualTo(
                "400 {\"error\":\"fusion was 'rrf' but it applies to mode=hybrid only\"}");
        assertThat(get("/v1/collections/articles/search?q=x&store=qdrant")).isEqualTo(
                "400 {\"error\":\"store was 'qdrant' but it must be one of pgvector, neo4j, milvus\"}");
        assertThat(get("/v1/collections/articles/search?q=x&store=milvus")).isEqualTo(
                "400 {\"error\":\"store was 'milvus' but collection 'articles' is not kept in it; its stores are"
                        + " pgvector\"}");
        assertThat(get("/v1/collections/articles/search?q=x&min.score=high")).isEqualTo(
                "400 {\"error\":\"min.score was 'high' but it must be a number\"}");
        assertThat(get("/v1/collections/articles/search?q=x&k=500")).isEqualTo(
                "400 {\"error\":\"k must be between 1 and 100, was 500\"}");
        // Every problem of one request at once.
        assertThat(get("/v1/collections/articles/search?q=x&k=two&mode=fuzzy&vector.weight=-1")).isEqualTo(
                "400 {\"error\":\"k must be a whole number, was 'two'; mode was 'fuzzy' but it must be one of"
                        + " vector, keyword, hybrid; vector.weight was '-1' but it must be a number between 0 and 1;"
                        + " vector.weight was '-1' but it applies to mode=hybrid with fusion=weighted only\"}");
        assertThat(get("/nothing")).isEqualTo("404 {\"error\":\"no such path: /nothing\"}");
    }

    @Test
    void onlyGetIsServed() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/v1/modes"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(get("/v1/modes")).isEqualTo("200 {}");
    }

    @Test
    void theDashboardAndItsFilesAreServedWithTheirContentTypes() throws Exception {
        HttpResponse<String> page = send("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("<svg id=\"lag-chart\"", "src=\"/dashboard.js\"")
                .doesNotContain("http://", "https://");
        HttpResponse<String> script = send("/dashboard.js");
        assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(script.body()).contains("/api/overview").doesNotContain("https://");
        assertThat(send("/dashboard.css").headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        assertThat(get("/dashboard.jsx")).isEqualTo("404 {\"error\":\"no such path: /dashboard.jsx\"}");
    }

    @Test
    void overviewMetricsAndHealthAreServed() throws Exception {
        assertThat(get("/api/overview")).isEqualTo("200 {\"pipeline\":\"vs-test\",\"generated_at_ms\":42,"
                + "\"lag_window_ms\":60000,\"chart_span_ms\":300000,\"dlq_records\":0,\"dlq_problem\":null,"
                + "\"sinks\":[],\"collections\":[],\"warnings\":[],\"snapshots\":[]}");
        HttpResponse<String> metrics = send("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(metrics.body()).contains("vectorsync_up 1.0");
        assertThat(get("/metricsx")).startsWith("404 ");
        assertThat(get("/health")).isEqualTo("200 {\"status\":\"UP\"}");
        warnings = List.of("captured table public.articles (collection articles) was renamed to public.posts");
        assertThat(get("/health")).isEqualTo("200 {\"status\":\"DEGRADED\",\"warnings\":[\"captured table"
                + " public.articles (collection articles) was renamed to public.posts\"]}");
        failure = Optional.of("sink milvus: store unreachable");
        assertThat(get("/health"))
                .isEqualTo("503 {\"status\":\"DOWN\",\"failure\":\"sink milvus: store unreachable\"}");
    }

    @Test
    void healthDoesNotEchoAPasswordTheFailureQuotes() throws Exception {
        failure = Optional.of("sink pgvector: cannot connect to jdbc:postgresql://h/v?user=vs&password=s3cr3t,"
                + " also tried http://vs:hunter2@h:1/");

        String health = get("/health");

        assertThat(health).startsWith("503 ").contains("password=****", "vs:****@h")
                .doesNotContain("s3cr3t", "hunter2");
    }

    @Test
    void aDegradedHealthAndTheDashboardOverviewDoNotEchoAPasswordAWarningQuotes() throws Exception {
        warnings = List.of("pgvector lagging: jdbc:postgresql://h/v?password=s3cr3t refused,"
                + " http://vs:hunter2@h:1/ too");

        String health = get("/health");

        assertThat(health).startsWith("200 {\"status\":\"DEGRADED\"").contains("password=****", "vs:****@h")
                .doesNotContain("s3cr3t", "hunter2");
        assertThat(get("/api/overview")).startsWith("200 ").contains("password=****", "vs:****@h")
                .doesNotContain("s3cr3t", "hunter2");
    }

    @Test
    void internalErrorAnswersAnErrorIdInsteadOfTheExceptionText() throws Exception {
        overviewFailure = new IllegalStateException("cannot read jdbc:postgresql://h/v?password=s3cr3t");

        HttpResponse<String> r = send("/api/overview");

        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).matches("\\{\"error\":\"internal error, id [0-9a-f]{12}: see the server log\"}")
                .doesNotContain("s3cr3t", "jdbc");
    }

    @Test
    void queryParametersAreDecoded() {
        assertThat(HttpApi.query(URI.create("http://h/p?q=vector+db%21&k=5&q=second"))).containsExactly(
                Map.entry("q", "vector db!"), Map.entry("k", "5"));
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = send(path);
        return r.statusCode() + " " + r.body();
    }

    private HttpResponse<String> send(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + api.port() + path);
    }
}
