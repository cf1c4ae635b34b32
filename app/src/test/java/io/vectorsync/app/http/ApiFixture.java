package io.vectorsync.app.http;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.app.dashboard.Overview;
import io.vectorsync.app.search.SearchService;
import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.migration.shadow.ShadowReads;
import io.vectorsync.streams.embedding.EmbeddingProvider;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An API whose search fails the test if a request reaches the model or a store: for requests it must refuse. */
public final class ApiFixture {
    private ApiFixture() {
    }

    public static HttpApi start(HttpConfig config) {
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
                throw new AssertionError("a refused request must not reach the model");
            }

            @Override
            public void close() {
            }
        };
        SearchService search = new SearchService(mappings, noModel, store -> {
            throw new AssertionError("a refused request must not reach a store");
        }, c -> Optional.empty(), new ShadowReads(Runnable::run, new SimpleMeterRegistry(), Clock.SYSTEM, 10));
        Monitoring monitoring = new Monitoring(Optional.of(() -> "vectorsync_up 1.0\n"),
                () -> new Overview("vs-test", 42, 60_000, 300_000, 0, null, List.of(), List.of(), List.of()),
                Optional::empty, List::of);
        HttpApi api = new HttpApi(config, search, Map::of, monitoring);
        api.start();
        return api;
    }
}
