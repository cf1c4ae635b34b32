package io.vectorsync.app.preflight;

import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.config.EmbeddingConfig;
import io.vectorsync.sink.preflight.CheckResult;
import io.vectorsync.sink.preflight.CheckResult.Status;
import io.vectorsync.streams.embedding.MiniLmEmbeddingProvider;
import io.vectorsync.testkit.EmbeddingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Preflight probes an HTTP provider: a real HTTP server answering with the in-process model's vectors. */
class EmbeddingCheckTest {
    private static MiniLmEmbeddingProvider minilm;
    private static EmbeddingServer server;

    @BeforeAll
    static void start() {
        minilm = new MiniLmEmbeddingProvider();
        server = EmbeddingServer.start(minilm::embed, "right-key");
    }

    @AfterAll
    static void stop() {
        server.close();
        minilm.close();
    }

    private static List<CheckResult> check(String url, String key, int dimension) {
        ConfigReader reader = new ConfigReader(Map.of("embedding.provider", "openai", "embedding.url", url,
                "embedding.model", "all-minilm", "embedding.api.key", key,
                "embedding.dimension", Integer.toString(dimension), "embedding.timeout.ms", "5000"));
        EmbeddingConfig config = EmbeddingConfig.from(reader);
        reader.finish();
        return new EmbeddingCheck(config, List.of()).run();
    }

    @Test
    void aReachableProviderWithTheRightKeyAndDimensionPasses() {
        assertThat(check(server.openAiUrl(), "right-key", 384)).extracting(CheckResult::status)
                .containsOnly(Status.OK);
    }

    @Test
    void aRefusedKeyFailsNamingTheKeyToSetWithoutShowingIt() {
        List<CheckResult> rows = check(server.openAiUrl(), "wrong-key-42", 384);

        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(Status.FAIL);
            assertThat(r.detail()).contains("(auth)").contains("HTTP 401").doesNotContain("wrong-key-42");
            assertThat(r.fix()).contains("embedding.api.key");
        });
    }

    @Test
    void aDimensionOtherThanTheModelsFailsWithTheModelsDimension() {
        List<CheckResult> rows = check(server.openAiUrl(), "right-key", 1536);

        assertThat(rows).anySatisfy(r -> {
            assertThat(r.check()).isEqualTo("embedding.dimension");
            assertThat(r.status()).isEqualTo(Status.FAIL);
            assertThat(r.detail()).contains("384-dimensional").contains("1536");
        });
    }

    @Test
    void anUnreachableProviderFailsNamingTheUrl() {
        String url = server.baseUrl().replaceAll(":\\d+$", ":1") + "/v1";

        assertThat(check(url, "right-key", 384)).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(Status.FAIL);
            assertThat(r.detail()).contains("(connection)");
            assertThat(r.fix()).contains("embedding.url");
        });
    }
}
