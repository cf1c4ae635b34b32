package io.vectorsync.app.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code vectorsync status} and {@code search} say which address they could not reach without echoing a credential
 * written into {@code --url} (user info, a token in the query).
 */
class ServiceAddressMaskingTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedErr;
    private int closedPort;

    @BeforeEach
    void capture() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        savedErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(savedErr);
    }

    @Test
    void statusDoesNotEchoThePasswordOfTheUrlItCannotReach() {
        StatusCommand status = new StatusCommand();
        status.env = Map.of();

        int code = new CommandLine(status).execute("--url", "http://admin:s3cret-pw@127.0.0.1:" + closedPort);

        assertThat(code).isEqualTo(3);
        assertThat(errors()).startsWith("cannot reach the vectorsync service at http://admin:****@127.0.0.1:")
                .doesNotContain("s3cret-pw");
    }

    @Test
    void statusDoesNotEchoATokenInTheUrlsQuery() {
        StatusCommand status = new StatusCommand();
        status.env = Map.of(ApiToken.VARIABLE, "env-token-123");

        int code = new CommandLine(status).execute("--url", "http://127.0.0.1:" + closedPort
                + "/?token=query-token-456");

        assertThat(code).isEqualTo(3);
        assertThat(errors()).contains("token=****").doesNotContain("query-token-456", "env-token-123");
    }

    @Test
    void searchDoesNotEchoThePasswordOfTheUrlItCannotReach() {
        SearchCommand search = new SearchCommand();
        search.env = Map.of();

        int code = new CommandLine(search).execute("--url", "https://ops:s3cret-pw@127.0.0.1:" + closedPort,
                "--collection", "books", "x");

        assertThat(code).isEqualTo(3);
        assertThat(errors()).startsWith("cannot reach the vectorsync service at https://ops:****@127.0.0.1:")
                .doesNotContain("s3cret-pw");
    }

    @Test
    void aUrlThatIsNotOneIsRefusedWithoutEchoingIt() {
        StatusCommand status = new StatusCommand();
        status.env = Map.of();

        int code = new CommandLine(status).execute("--url", "http://admin:s3cret pw@127.0.0.1:" + closedPort);

        assertThat(code).isEqualTo(2);
        assertThat(errors()).startsWith("--url is not a URL: Illegal character in authority at index")
                .doesNotContain("s3cret");
    }

    private String errors() {
        return err.toString(StandardCharsets.UTF_8).trim();
    }
}
