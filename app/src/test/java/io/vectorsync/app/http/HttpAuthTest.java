package io.vectorsync.app.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** With a token configured, every endpoint but /health and the dashboard's files needs it, on loopback too. */
class HttpAuthTest {
    private static final String TOKEN = "t0ken-with-some-length";
    private static final List<String> GUARDED = List.of("/v1/modes", "/api/overview", "/metrics",
            "/v1/collections/articles/search?q=x");

    private final HttpClient client = HttpClient.newHttpClient();
    private HttpApi api;

    @BeforeEach
    void start() {
        api = ApiFixture.start(new HttpConfig("127.0.0.1", 0, TOKEN, Optional.empty(), 65_536, 2_000));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aRequestWithoutTheTokenIsAnswered401WithABearerChallenge() throws Exception {
        for (String path : GUARDED) {
            HttpResponse<String> r = send(path, null);
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).as(path).hasValue("Bearer realm=\"vectorsync\"");
            assertThat(r.body()).as(path).isEqualTo("{\"error\":\"this endpoint needs the API token: send"
                    + " Authorization: Bearer <token> (http.token)\"}");
        }
        assertThat(send("/v1/modes", "Basic dXNlcjpwYXNz").statusCode()).as("another scheme").isEqualTo(401);
        assertThat(send("/v1/modes", "Bearer").statusCode()).as("no token after the scheme").isEqualTo(401);
    }

    @Test
    void aWrongTokenIsAnswered403WithoutEchoingIt() throws Exception {
        for (String wrong : List.of("Bearer nope", "Bearer " + TOKEN + "x", "Bearer " + TOKEN.substring(1))) {
            for (String path : GUARDED) {
                HttpResponse<String> r = send(path, wrong);
                assertThat(r.statusCode()).as(path + " with " + wrong).isEqualTo(403);
                assertThat(r.body()).isEqualTo("{\"error\":\"the API token is wrong\"}");
            }
        }
    }

    @Test
    void theRightTokenIsLetThroughWhateverTheSchemesCase() throws Exception {
        assertThat(send("/v1/modes", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        assertThat(send("/v1/modes", "bearer " + TOKEN).statusCode()).isEqualTo(200);
        assertThat(send("/api/overview", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        assertThat(send("/metrics", "Bearer " + TOKEN).body()).contains("vectorsync_up 1.0");
        HttpResponse<String> unknown = send("/v1/collections/books/search?q=x", "Bearer " + TOKEN);
        assertThat(unknown.statusCode() + " " + unknown.body())
                .isEqualTo("404 {\"error\":\"unknown collection 'books'\"}");
    }

    @Test
    void healthAndTheDashboardFilesNeedNoToken() throws Exception {
        assertThat(send("/health", null).statusCode()).isEqualTo(200);
        assertThat(send("/", null).statusCode()).isEqualTo(200);
        assertThat(send("/dashboard.js", null).statusCode()).isEqualTo(200);
        assertThat(send("/dashboard.css", null).statusCode()).isEqualTo(200);
        assertThat(send("/health", "Bearer wrong").statusCode()).as("a wrong token on an open path").isEqualTo(200);
    }

    private HttpResponse<String> send(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
