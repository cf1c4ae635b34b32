package io.vectorsync.app.cli;

import io.vectorsync.app.http.ApiFixture;
import io.vectorsync.app.http.HttpApi;
import io.vectorsync.app.http.HttpConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code vectorsync status} and {@code search} send the token from VECTORSYNC_HTTP_TOKEN. */
class ApiTokenCommandsTest {
    private HttpApi api;

    @BeforeEach
    void start() {
        api = ApiFixture.start(new HttpConfig("127.0.0.1", 0, "cli-token", Optional.empty(), 65_536, 2_000));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void statusSendsTheTokenFromTheEnvironment() {
        assertThat(status(Map.of(ApiToken.VARIABLE, "cli-token"))).isZero();
        assertThat(status(Map.of())).as("no token: the service refuses").isEqualTo(3);
        assertThat(status(Map.of(ApiToken.VARIABLE, "wrong"))).isEqualTo(3);
    }

    @Test
    void searchSendsTheTokenFromTheEnvironment() {
        // An unknown collection is answered 404 only once the token was accepted.
        assertThat(searchErrors(Map.of(ApiToken.VARIABLE, "cli-token")))
                .isEqualTo("search failed (404): unknown collection 'books'");
        assertThat(searchErrors(Map.of())).isEqualTo("search failed (401): this endpoint needs the API token: send"
                + " Authorization: Bearer <token> (http.token) (the service requires its API token, http.token:"
                + " export VECTORSYNC_HTTP_TOKEN)");
        assertThat(searchErrors(Map.of(ApiToken.VARIABLE, "wrong"))).isEqualTo("search failed (403): the API token"
                + " is wrong (VECTORSYNC_HTTP_TOKEN does not hold the service's http.token)");
    }

    private String searchErrors(Map<String, String> env) {
        SearchCommand search = new SearchCommand();
        search.env = env;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThat(new CommandLine(search).execute("--url", url(), "--collection", "books", "x")).isEqualTo(2);
        } finally {
            System.setErr(err);
        }
        return captured.toString(StandardCharsets.UTF_8).trim();
    }

    private int status(Map<String, String> env) {
        StatusCommand status = new StatusCommand();
        status.env = env;
        return new CommandLine(status).execute("--url", url(), "--json");
    }

    private String url() {
        return "http://127.0.0.1:" + api.port();
    }
}
