package io.vectorsync.streams.embedding;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.core.config.EmbeddingEndpoint;
import io.vectorsync.streams.embedding.EmbeddingUnavailableException.Kind;
import io.vectorsync.testkit.EmbeddingServer;
import io.vectorsync.testkit.EmbeddingServer.Fault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The HTTP provider against a real HTTP server speaking both wire formats and answering with the in-process MiniLM's
 * vectors, one fault at a time. Retry waits are recorded, not waited.
 */
class HttpEmbeddingProviderTest {
    private static final String KEY = "sk-test-0123456789";
    private static final List<String> TEXTS = List.of("The cat sat on the mat", "Kafka streams enrich changes",
            "pgvector stores vectors");
    private static MiniLmEmbeddingProvider minilm;
    private static EmbeddingServer server;

    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private HttpEmbeddingProvider provider;

    @BeforeAll
    static void startServer() {
        minilm = new MiniLmEmbeddingProvider();
        server = EmbeddingServer.start(minilm::embed, KEY);
    }

    @AfterAll
    static void stopServer() {
        server.close();
        minilm.close();
    }

    @AfterEach
    void closeProvider() {
        server.up();
        if (provider != null) {
            provider.close();
        }
    }

    private HttpEmbeddingProvider openAi(String key, int retryMax, long timeoutMs, int batchSize, int maxTokens,
                                         int concurrency) {
        EmbeddingEndpoint endpoint = new EmbeddingEndpoint(server.openAiUrl(), "all-minilm", key, "", false,
                maxTokens, concurrency, timeoutMs, retryMax, 100, 10_000);
        provider = new HttpEmbeddingProvider(new OpenAiWireFormat(endpoint, 384), endpoint, 384, batchSize,
                registry, waits::add, Clock.systemUTC());
        return provider;
    }

    private HttpEmbeddingProvider openAi() {
        return openAi(KEY, 3, 10_000, 64, 100_000, 2);
    }

    private double errors(String kind) {
        var c = registry.find("vectorsync.embedding.provider.errors").tag("kind", kind).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void openAiFormatAnswersEveryTextWithTheModelsOwnVectorInOrder() {
        List<float[]> vectors = openAi().embed(TEXTS);

        assertThat(vectors).hasSize(3);
        List<float[]> expected = minilm.embed(TEXTS);
        for (int i = 0; i < 3; i++) {
            assertThat(vectors.get(i)).containsExactly(expected.get(i));
        }
        assertThat(registry.get("vectorsync.embedding.provider.tokens").tag("source", "reported").counter().count())
                .isEqualTo(13);
        assertThat(registry.get("vectorsync.embedding.provider.texts").counter().count()).isEqualTo(3);
        assertThat(waits).isEmpty();
    }

    @Test
    void ollamaFormatAnswersEveryTextInOrder() {
        EmbeddingEndpoint endpoint = new EmbeddingEndpoint(server.baseUrl(), "all-minilm", KEY, "", false,
                100_000, 2, 10_000, 0, 100, 10_000);
        provider = new HttpEmbeddingProvider(new OllamaWireFormat(endpoint, 384), endpoint, 384, 64, registry,
                waits::add, Clock.systemUTC());

        List<float[]> vectors = provider.embed(TEXTS);

        assertThat(vectors.get(2)).containsExactly(minilm.embed(List.of(TEXTS.get(2))).get(0));
        assertThat(provider.modelId()).isEqualTo("ollama:all-minilm");
    }

    @Test
    void azureOpenAiIsCalledOnItsDeploymentUrlWithTheApiKeyHeader() {
        EmbeddingEndpoint endpoint = new EmbeddingEndpoint(server.baseUrl(), "my-deployment", KEY, "2024-10-21",
                false, 100_000, 2, 10_000, 0, 100, 10_000);
        OpenAiWireFormat format = new OpenAiWireFormat(endpoint, 384);
        assertThat(format.uri().toString()).endsWith("/openai/deployments/my-deployment/embeddings"
                + "?api-version=2024-10-21");
        assertThat(format.headers()).containsOnlyKeys("api-key");
        provider = new HttpEmbeddingProvider(format, endpoint, 384, 64, registry, waits::add, Clock.systemUTC());

        assertThat(provider.embed(TEXTS)).hasSize(3);
    }

    @Test
    void rateLimitedRequestIsRetriedAfterTheServersRetryAfter() {
        server.enqueue(Fault.rateLimited(7));

        assertThat(openAi().embed(TEXTS)).hasSize(3);

        assertThat(waits).containsExactly(Duration.ofSeconds(7));
        assertThat(errors("rate_limited")).isEqualTo(1);
    }

    @Test
    void unavailableWithRetryAfterIsRetriedAfterItAndRetryAfterIsCappedAtTheMaximumBackoff() {
        server.enqueue(Fault.unavailable(2), Fault.unavailable(3600));

        assertThat(openAi().embed(TEXTS)).hasSize(3);

        assertThat(waits).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(10));
        assertThat(errors("server_error")).isEqualTo(2);
    }

    @Test
    void serverErrorsAreRetriedWithDoublingBackoff() {
        server.enqueue(Fault.serverError(), Fault.serverError(), Fault.serverError());

        assertThat(openAi().embed(TEXTS)).hasSize(3);

        assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
    }

    @Test
    void providerThatStaysDownFailsAsUnavailableAfterItsRetries() {
        server.down(Fault.serverError());

        assertThatThrownBy(() -> openAi().embed(TEXTS)).isInstanceOfSatisfying(EmbeddingUnavailableException.class,
                e -> {
                    assertThat(e.kind()).isEqualTo(Kind.SERVER_ERROR);
                    assertThat(e.getMessage()).contains("answered HTTP 500").contains("internal error");
                });
        assertThat(waits).hasSize(3);
    }

    @Test
    void slowAnswerTimesOutAndTheRequestIsRetried() {
        server.enqueue(Fault.slow(Duration.ofSeconds(5)));

        assertThat(openAi(KEY, 3, 1_000, 64, 100_000, 2).embed(TEXTS)).hasSize(3);

        assertThat(errors("timeout")).isEqualTo(1);
        assertThat(waits).hasSize(1);
    }

    @Test
    void droppedConnectionIsRetried() {
        server.enqueue(Fault.dropConnection());

        assertThat(openAi().embed(TEXTS)).hasSize(3);

        assertThat(errors("connection")).isEqualTo(1);
    }

    @Test
    void wrongDimensionOnceIsRetriedAndWhenItStaysIsUnavailableWithTheReason() {
        server.enqueue(Fault.wrongDimension());
        assertThat(openAi().embed(TEXTS)).hasSize(3);
        assertThat(errors("bad_dimension")).isEqualTo(1);

        server.down(Fault.wrongDimension());
        assertThatThrownBy(() -> provider.embed(TEXTS)).isInstanceOfSatisfying(EmbeddingUnavailableException.class,
                e -> {
                    assertThat(e.kind()).isEqualTo(Kind.BAD_DIMENSION);
                    assertThat(e.getMessage()).contains("returned a 383-dimensional vector but embedding.dimension"
                            + " is 384");
                });
    }

    @Test
    void wrongCountOnceIsRetriedAndWhenItStaysIsUnavailableWithTheReason() {
        server.enqueue(Fault.wrongCount());
        assertThat(openAi().embed(TEXTS)).hasSize(3);
        assertThat(errors("bad_count")).isEqualTo(1);

        server.down(Fault.wrongCount());
        assertThatThrownBy(() -> provider.embed(TEXTS)).isInstanceOfSatisfying(EmbeddingUnavailableException.class,
                e -> assertThat(e.getMessage()).contains("returned 2 vectors for 3 texts"));
    }

    @Test
    void wrongKeyIsUnavailableAtOnceWithoutRetriesAndTheKeyIsNotInTheMessage() {
        String wrong = "sk-wrong-key-9876";
        assertThatThrownBy(() -> openAi(wrong, 3, 10_000, 64, 100_000, 2).embed(TEXTS))
                .isInstanceOfSatisfying(EmbeddingUnavailableException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.AUTH);
                    assertThat(e.getMessage()).contains("HTTP 401").doesNotContain(wrong);
                });
        assertThat(waits).isEmpty();
    }

    @Test
    void textsGoInRequestsOfAtMostTheBatchSizeAndTheEstimatedTokensInOrder() {
        List<String> texts = IntStream.range(0, 10).mapToObj(i -> "text number " + i).toList();
        int before = server.requests();

        List<float[]> vectors = openAi(KEY, 0, 10_000, 4, 100_000, 2).embed(texts);

        assertThat(server.requests() - before).isEqualTo(3);
        List<float[]> expected = minilm.embed(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(vectors.get(i)).containsExactly(expected.get(i));
        }
        provider.close();
        before = server.requests();
        // "text number N" is 13 characters, 5 estimated tokens: 12 tokens hold two texts.
        openAi(KEY, 0, 10_000, 64, 12, 2).embed(texts);
        assertThat(server.requests() - before).isEqualTo(5);
    }

    @Test
    void noMoreRequestsAreInFlightThanTheConcurrencyLimit() {
        List<String> texts = IntStream.range(0, 8).mapToObj(i -> "text " + i).toList();
        // A server of its own: a slow request of another test may still be in flight on the shared one.
        try (EmbeddingServer own = EmbeddingServer.start(minilm::embed, null)) {
            for (int i = 0; i < 8; i++) {
                own.enqueue(Fault.slow(Duration.ofMillis(300)));
            }
            EmbeddingEndpoint endpoint = new EmbeddingEndpoint(own.openAiUrl(), "all-minilm", "", "", false,
                    100_000, 2, 10_000, 0, 100, 10_000);
            provider = new HttpEmbeddingProvider(new OpenAiWireFormat(endpoint, 384), endpoint, 384, 1, registry,
                    waits::add, Clock.systemUTC());

            assertThat(provider.embed(texts)).hasSize(8);

            assertThat(own.maxInFlight()).isBetween(1, 2);
            assertThat(own.requests()).isEqualTo(8);
        }
    }
}
