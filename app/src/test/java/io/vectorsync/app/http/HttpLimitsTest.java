package io.vectorsync.app.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A request body over http.max.request.bytes is 413, a search text over http.max.query.chars is 400. */
class HttpLimitsTest {
    private static final int MAX_BYTES = 1_000;
    private static final int MAX_CHARS = 50;

    private final HttpClient client = HttpClient.newHttpClient();
    private HttpApi api;

    @BeforeEach
    void start() {
        api = ApiFixture.start(new HttpConfig("127.0.0.1", 0, "", Optional.empty(), MAX_BYTES, MAX_CHARS));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aBodyOverTheLimitIsAnswered413OnEveryPath() throws Exception {
        for (String path : new String[] {"/v1/modes", "/health", "/", "/v1/collections/articles/search"}) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri(path))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[MAX_BYTES + 1])).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode() + " " + r.body()).as(path).isEqualTo("413 {\"error\":\"the request body is"
                    + " larger than 1000 bytes (http.max.request.bytes)\"}");
        }
    }

    @Test
    void aChunkedBodyOverTheLimitIsAnswered413Too() throws Exception {
        // An input stream of unknown length is sent chunked, without Content-Length.
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/v1/modes"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(
                        new byte[MAX_BYTES * 3]))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
    }

    @Test
    void aBodyWithinTheLimitReachesTheEndpoint() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/v1/modes"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[MAX_BYTES])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("the endpoint's own answer: only GET is served").isEqualTo(405);
    }

    @Test
    void aSearchTextOverTheLimitIsAnswered400BeforeTheModelIsAsked() throws Exception {
        String q = "é".repeat(MAX_CHARS + 1);
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/v1/collections/articles/search?q="
                + URLEncoder.encode(q, StandardCharsets.UTF_8))).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode() + " " + r.body()).isEqualTo("400 {\"error\":\"q is 51 characters long; at most 50"
                + " are accepted (http.max.query.chars)\"}");
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + api.port() + path);
    }
}
