package io.vectorsync.app;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.config.AppConfigLoader;
import io.vectorsync.app.pipeline.Pipeline;
import io.vectorsync.app.pipeline.Role;
import io.vectorsync.streams.embedding.MiniLmEmbeddingProvider;
import io.vectorsync.testkit.EmbeddingServer;
import io.vectorsync.testkit.EmbeddingServer.Fault;
import io.vectorsync.testkit.LocalServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pipeline with {@code embedding.provider=openai} against a real HTTP server serving the in-process MiniLM's
 * vectors, with faults injected mid-stream: 429 with Retry-After, 500, 503, a dropped connection, a slow answer past
 * the timeout, a wrong dimension, a wrong count; then the provider down for a while. pgvector ends equal to the
 * source, every vector the model's own for its text, nothing dead-lettered; while the provider is down /health says
 * so and the changes wait.
 */
@ExtendWith(LocalServers.class)
class EmbeddingProviderFaultsIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final String KEY = "sk-it-key";

    @TempDir
    Path stateDir;

    private PipelineFixture fx;
    private Pipeline pipeline;
    private EmbeddingServer server;
    private MiniLmEmbeddingProvider minilm;

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (server != null) {
            server.close();
        }
        if (minilm != null) {
            minilm.close();
        }
        if (fx != null) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(fx::dropSlot);
        }
    }

    @Test
    void faultsOfTheProviderMidStreamLoseNothingAndDoubleNothing() throws Exception {
        fx = new PipelineFixture(LocalServers.get());
        minilm = new MiniLmEmbeddingProvider();
        server = EmbeddingServer.start(minilm::embed, KEY);
        String table = "http_" + fx.suffix;
        fx.createDocumentTable(table);
        Map<String, String> raw = fx.config(stateDir);
        PipelineFixture.mapCollection(raw, table, table);
        raw.put("embedding.provider", "openai");
        raw.put("embedding.url", server.openAiUrl());
        raw.put("embedding.model", "all-minilm");
        raw.put("embedding.api.key", KEY);
        raw.put("embedding.batch.size", "8");
        raw.put("embedding.timeout.ms", "2000");
        raw.put("embedding.retry.max", "3");
        raw.put("embedding.retry.backoff.ms", "50");
        raw.put("embedding.retry.max.backoff.ms", "500");
        AppConfig config = AppConfigLoader.load(raw, true);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        pipeline = Pipeline.start(config, EnumSet.allOf(Role.class), registry);
        Random random = new Random(14);

        server.enqueue(Fault.rateLimited(1), Fault.serverError(), Fault.dropConnection(), Fault.unavailable(0),
                Fault.slow(Duration.ofSeconds(4)), Fault.wrongDimension(), Fault.wrongCount());
        for (int i = 0; i < 4; i++) {
            fx.insertRows(table, 1 + i * 10, 10, random);
        }
        fx.sql(fx.sourceDb, "UPDATE " + table + " SET body = body || ' (edited)' WHERE id <= 5");
        fx.sql(fx.sourceDb, "DELETE FROM " + table + " WHERE id BETWEEN 36 AND 40");
        awaitStoreEqualsSource(table);
        assertThat(server.faults()).as("every queued fault was met").isEqualTo(7);

        server.down(Fault.serverError());
        fx.insertRows(table, 41, 10, random);
        fx.sql(fx.sourceDb, "UPDATE " + table + " SET body = 'rewritten while the provider is down' WHERE id = 7");
        fx.sql(fx.sourceDb, "DELETE FROM " + table + " WHERE id = 8");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(pipeline.warnings()).anySatisfy(w -> assertThat(w).contains("embedding provider unavailable")
                    .contains("HTTP 500"));
            assertThat(PipelineFixture.get(pipeline, "/health")).contains("embedding provider unavailable");
        });
        // Tried again and still held: another whole round of retries fails, nothing written meanwhile.
        int failed = server.faults();
        await().atMost(TIMEOUT).until(() -> server.faults() >= failed + 4);
        assertThat(pipeline.warnings()).anySatisfy(w -> assertThat(w).contains("embedding provider unavailable"));
        assertThat(fx.stored(table)).as("held changes are not written").doesNotContainKeys("41", "50");

        server.up();
        awaitStoreEqualsSource(table);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(pipeline.warnings()).isEmpty());
        assertThat(registry.get("vectorsync.dlq.records").tag("stage", "streams").counter().count())
                .as("dead letters").isZero();
        assertThat(registry.get("vectorsync.embedding.provider.errors").tag("kind", "server_error").counter()
                .count()).isGreaterThan(2);
        assertThat(pipeline.failure()).isEmpty();
    }

    /** pgvector holds exactly the source's rows, each with the model's own vector of its text. */
    private void awaitStoreEqualsSource(String table) throws Exception {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(pipeline.failure()).as("pipeline failure").isEmpty();
            assertThat(fx.stored(table)).isEqualTo(fx.expected(table));
        });
        Map<String, PipelineFixture.Doc> stored = fx.stored(table);
        Map<String, float[]> vectors = fx.storedVectors(table);
        List<String> ids = List.copyOf(stored.keySet());
        List<float[]> expected = minilm.embed(ids.stream().map(id -> stored.get(id).content()).toList());
        for (int i = 0; i < ids.size(); i++) {
            assertThat(PipelineFixture.cosine(vectors.get(ids.get(i)), expected.get(i))).as("vector of %s",
                    ids.get(i)).isGreaterThan(0.9999);
        }
    }
}
