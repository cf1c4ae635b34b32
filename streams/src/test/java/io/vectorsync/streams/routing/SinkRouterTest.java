package io.vectorsync.streams.routing;

import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode;
import io.vectorsync.core.model.StorageMode.Delivery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static io.vectorsync.core.model.SinkName.MILVUS;
import static io.vectorsync.core.model.SinkName.NEO4J;
import static io.vectorsync.core.model.SinkName.PGVECTOR;
import static io.vectorsync.core.model.StorageMode.Delivery.BEST_EFFORT;
import static io.vectorsync.core.model.StorageMode.Delivery.REQUIRED;
import static org.assertj.core.api.Assertions.assertThat;

class SinkRouterTest {
    private static final MappingConfig MAPPINGS = MappingConfig.from(new ConfigReader(Map.of(
            "collections.articles.table", "public.articles",
            "collections.articles.id", "id",
            "collections.articles.template", "{title}",
            "collections.articles.legacy", "pgvector",
            "collections.articles.target", "milvus",
            "collections.notes.table", "public.notes",
            "collections.notes.id", "id",
            "collections.notes.template", "{title}",
            "collections.notes.sinks", "pgvector,neo4j")));
    private static final EnrichedChange ARTICLE = EnrichedChange.delete("articles", "1", 10, 1);
    private static final EnrichedChange NOTE = EnrichedChange.delete("notes", "1", 10, 1);

    private final Map<String, ModeStatus> statuses = new HashMap<>();
    private final SinkRouter router = new SinkRouter(MAPPINGS, c -> Optional.ofNullable(statuses.get(c)));

    /** Spelled out here, not derived from StorageMode, so a wrong table there fails this test. */
    static Stream<Arguments> modes() {
        return Stream.of(
                Arguments.of(StorageMode.SOURCE_ONLY, Map.of(PGVECTOR, REQUIRED)),
                Arguments.of(StorageMode.DUAL_WRITE, Map.of(PGVECTOR, REQUIRED, MILVUS, BEST_EFFORT)),
                Arguments.of(StorageMode.SHADOW, Map.of(PGVECTOR, REQUIRED, MILVUS, BEST_EFFORT)),
                Arguments.of(StorageMode.CUTOVER, Map.of(PGVECTOR, REQUIRED, MILVUS, REQUIRED)),
                Arguments.of(StorageMode.TARGET_ONLY, Map.of(MILVUS, REQUIRED)));
    }

    @ParameterizedTest
    @MethodSource("modes")
    void migratingCollectionGoesToTheStoresItsModeWritesWithTheirDelivery(StorageMode mode,
                                                                         Map<SinkName, Delivery> expected) {
        statuses.put("articles", status("articles", mode, 7));

        List<Routed> routes = router.route(ARTICLE);

        assertThat(deliveries(routes)).isEqualTo(expected);
        assertThat(routes).allSatisfy(r -> {
            assertThat(r.mode()).contains(mode);
            assertThat(r.epoch()).isEqualTo(7);
            assertThat(r.change()).isSameAs(ARTICLE);
        });
    }

    @Test
    void legacyIsRoutedBeforeTarget() {
        statuses.put("articles", status("articles", StorageMode.CUTOVER, 3));

        assertThat(router.route(ARTICLE)).extracting(Routed::sink).containsExactly(PGVECTOR, MILVUS);
    }

    @Test
    void migratingCollectionWithoutAStatusIsSourceOnlyAtEpochZero() {
        List<Routed> routes = router.route(ARTICLE);

        assertThat(routes).singleElement().satisfies(r -> {
            assertThat(r.sink()).isEqualTo(PGVECTOR);
            assertThat(r.delivery()).isEqualTo(REQUIRED);
            assertThat(r.mode()).contains(StorageMode.SOURCE_ONLY);
            assertThat(r.epoch()).isZero();
        });
    }

    @Test
    void storesComeFromTheMappingNotFromTheStatus() {
        statuses.put("articles", new ModeStatus("articles", StorageMode.TARGET_ONLY, 4, NEO4J, PGVECTOR, 0, "test",
                "stores of an older configuration", false, null, null));

        assertThat(router.route(ARTICLE)).extracting(Routed::sink).containsExactly(MILVUS);
    }

    @Test
    void collectionWithoutMigrationGoesToEverySinkRequiredWhateverTheStatuses() {
        statuses.put("notes", status("notes", StorageMode.TARGET_ONLY, 9));

        List<Routed> routes = router.route(NOTE);

        assertThat(deliveries(routes)).isEqualTo(Map.of(PGVECTOR, REQUIRED, NEO4J, REQUIRED));
        assertThat(routes).allSatisfy(r -> {
            assertThat(r.mode()).isEmpty();
            assertThat(r.epoch()).isZero();
        });
    }

    @Test
    void collectionWithoutMigrationNeverLooksUpAStatus() {
        SinkRouter strict = new SinkRouter(MAPPINGS, c -> {
            throw new AssertionError("looked up the status of " + c);
        });

        assertThat(strict.route(NOTE)).hasSize(2);
    }

    @Test
    void unknownCollectionGoesNowhere() {
        assertThat(router.route(EnrichedChange.delete("ghosts", "1", 10, 1))).isEmpty();
    }

    @Test
    void headersCarryDeliveryModeAndEpoch() {
        Routed migrating = new Routed(MILVUS, BEST_EFFORT, Optional.of(StorageMode.SHADOW), 12, ARTICLE);
        Routed plain = new Routed(NEO4J, REQUIRED, Optional.empty(), 0, NOTE);

        assertThat(headers(migrating)).isEqualTo(Map.of("vectorsync.delivery", "best_effort",
                "vectorsync.mode", "SHADOW", "vectorsync.epoch", "12"));
        assertThat(headers(plain)).isEqualTo(Map.of("vectorsync.delivery", "required",
                "vectorsync.mode", "none", "vectorsync.epoch", "0"));
    }

    private static Map<String, String> headers(Routed routed) {
        Map<String, String> out = new HashMap<>();
        RouteHeaders.of(routed).forEach(h -> out.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
        return out;
    }

    private static Map<SinkName, Delivery> deliveries(List<Routed> routes) {
        Map<SinkName, Delivery> out = new HashMap<>();
        routes.forEach(r -> out.put(r.sink(), r.delivery()));
        assertThat(out).as("one route per sink").hasSameSizeAs(routes);
        return out;
    }

    private static ModeStatus status(String collection, StorageMode mode, long epoch) {
        return new ModeStatus(collection, mode, epoch, PGVECTOR, MILVUS, 0, "test", "test", false, null, null);
    }
}
