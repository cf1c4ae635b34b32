package io.vectorsync.app;

import io.vectorsync.app.http.ApiFixture;
import io.vectorsync.app.http.HttpApi;
import io.vectorsync.app.http.HttpConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in Debian's headless Chromium against an API that requires a token (no servers needed): without a
 * token the page asks for it and shows no figures; with the token handed over by a {@code #token=} link it shows the
 * overview; with a wrong one it says the token was refused. About 10 s.
 */
class DashboardTokenIT {
    private static final String TOKEN = "dashboard-token-123";
    private static final long VIRTUAL_TIME_MS = 3_000;

    @TempDir
    static Path dir;

    private static HttpApi api;

    @BeforeAll
    static void start() {
        Chromium.requireInstalled();
        api = ApiFixture.start(new HttpConfig("127.0.0.1", 0, TOKEN, Optional.empty(), 65_536, 2_000));
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void withoutATokenThePageAsksForItAndShowsNoFigures() throws Exception {
        DomFigures dom = new DomFigures(load("/", "no-token"));

        assertThat(dom.get("token-form").attributes()).doesNotContainKey("hidden");
        assertThat(dom.get("token-message").text())
                .isEqualTo("This service needs its API token (http.token) to show its figures.");
        assertThat(dom.get("fetch-status").text()).isEqualTo("waiting for the API token");
        assertThat(dom.get("pipeline-name").text()).isEmpty();
    }

    @Test
    void aTokenFromTheLinkIsSentAndTheFiguresAreShown() throws Exception {
        DomFigures dom = new DomFigures(load("/#token=" + TOKEN, "token"));

        assertThat(dom.get("pipeline-name").text()).isEqualTo("vs-test");
        assertThat(dom.get("fetch-status").text()).isEqualTo("live");
        assertThat(dom.get("token-form").attributes()).containsKey("hidden");
    }

    @Test
    void aWrongTokenIsSaidToBeRefused() throws Exception {
        DomFigures dom = new DomFigures(load("/#token=wrong", "wrong-token"));

        assertThat(dom.get("token-form").attributes()).doesNotContainKey("hidden");
        assertThat(dom.get("token-message").text())
                .isEqualTo("The service refused that token: enter its API token (http.token).");
        assertThat(dom.get("pipeline-name").text()).isEmpty();
    }

    private static String load(String path, String run) throws Exception {
        Chromium chromium = new Chromium(Files.createDirectories(dir.resolve(run)));
        return chromium.dumpDom("http://127.0.0.1:" + api.port() + path, VIRTUAL_TIME_MS, 1280, 800);
    }
}
