package io.vectorsync.app;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.app.config.AppConfigLoader;
import io.vectorsync.app.pipeline.Pipeline;
import io.vectorsync.app.pipeline.Role;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import io.vectorsync.testkit.TcpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A store that hangs (accepts connections, never answers) must not take the HTTP server with it: searches fail with
 * a clear error within the store's timeout, and {@code /health} answers at once all the while, so a liveness probe
 * does not restart a process whose only trouble is a slow store.
 */
@ExtendWith(LocalServers.class)
class HungStoreHttpIT {
    private static final Logger LOG = LoggerFactory.getLogger(HungStoreHttpIT.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    /** The pgvector timeout: each search against the hung store costs about this. */
    private static final String STORE_TIMEOUT_MS = "2000";
    /** More searches than the HTTP server ever had threads, so they would fill them all. */
    private static final int SEARCHES = 6;
    /** What a liveness probe waits for; much less than the searches take together. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    static Path stateDir;

    private static PipelineFixture fx;
    private static TcpProxy proxy;
    private static Pipeline pipeline;
    private static String table;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Services servers = LocalServers.get();
        fx = new PipelineFixture(servers);
        table = "hung_" + fx.suffix;
        fx.createDocumentTable(table);
        fx.insertDocuments(table, 1, 20);
        proxy = TcpProxy.to(servers.pgHost(), servers.pgPort());
        Map<String, String> raw = fx.config(stateDir);
        PipelineFixture.mapCollection(raw, table, table);
        // Only the pgvector store goes through the proxy; the source is read directly.
        raw.put("sink.pgvector.url", "jdbc:postgresql://" + proxy.host() + ":" + proxy.port() + "/" + fx.sinkDb);
        raw.put("sink.pgvector.timeout.ms", STORE_TIMEOUT_MS);
        pipeline = Pipeline.start(AppConfigLoader.load(raw, true), EnumSet.allOf(Role.class),
                new SimpleMeterRegistry());
        await().atMost(TIMEOUT).until(() -> fx.stored(table).size() == 20);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (pipeline != null) {
                pipeline.close();
            }
        } finally {
            if (proxy != null) {
                proxy.close();
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(fx::dropSlot);
        }
    }

    @Test
    void searchesAgainstAHungStoreFailClearlyWhileHealthAnswersAtOnce() throws Exception {
        assertThat(search().statusCode()).as("a search before the hang").isEqualTo(200);

        proxy.hang();
        try {
            List<CompletableFuture<HttpResponse<String>>> searches = new ArrayList<>();
            for (int i = 0; i < SEARCHES; i++) {
                searches.add(http.sendAsync(searchRequest(), HttpResponse.BodyHandlers.ofString()));
            }
            // Every search now waits on the hung store; the probe must not wait behind them.
            for (int probe = 0; probe < 3; probe++) {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(uri("/health")).timeout(PROBE_TIMEOUT)
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
                assertThat(health.body()).contains("\"UP\"");
            }
            for (CompletableFuture<HttpResponse<String>> search : searches) {
                HttpResponse<String> answer = search.get(2, TimeUnit.MINUTES);
                LOG.info("search against the hung store: {} {}", answer.statusCode(), answer.body());
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
                assertThat(answer.body()).contains("pgvector search in collection '" + table + "'")
                        .containsPattern("(?i)timed out|timeout");
            }
        } finally {
            proxy.restore();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> search().statusCode() == 200);
        assertThat(pipeline.failure()).isEmpty();
    }

    private static HttpResponse<String> search() throws Exception {
        return http.send(searchRequest(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest searchRequest() {
        return HttpRequest.newBuilder(uri("/v1/collections/" + table + "/search?k=3&q="
                + URLEncoder.encode("Document 7", StandardCharsets.UTF_8))).GET().build();
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + pipeline.httpPort().orElseThrow() + path);
    }
}
