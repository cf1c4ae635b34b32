package io.vectorsync.app.http;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.app.search.SearchService;
import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.sink.shadow.ShadowReads;
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
        api = new HttpApi(new HttpConfig("127.0.0.1", 0), search, Map::of);
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
    void queryParametersAreDecoded() {
        assertThat(HttpApi.query(URI.create("http://h/p?q=vector+db%21&k=5&q=second"))).containsExactly(
                Map.entry("q", "vector db!"), Map.entry("k", "5"));
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + api.port() + path);
    }
}
