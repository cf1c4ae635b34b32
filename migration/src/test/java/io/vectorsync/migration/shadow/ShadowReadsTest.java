package io.vectorsync.migration.shadow;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.sink.api.SearchHit;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static io.vectorsync.core.model.SinkName.MILVUS;
import static io.vectorsync.core.model.SinkName.PGVECTOR;
import static io.vectorsync.migration.shadow.ShadowComparisonTest.hit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

class ShadowReadsTest {
    private static final Tags TAGS = Tags.of("collection", "articles", "legacy", "pgvector", "target", "milvus");
    private static final List<SearchHit> LEGACY = List.of(hit("a", 0.9), hit("b", 0.8));

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MockClock clock = new MockClock();

    @Test
    void comparesTheMirroredSearchAndRecordsMetrics() {
        try (ShadowReads shadow = new ShadowReads(Runnable::run, registry, clock, 10)) {
            shadow.mirror("articles", PGVECTOR, MILVUS, LEGACY, Duration.ofMillis(10),
                    taking(Duration.ofMillis(40), List.of(hit("a", 0.85), hit("c", 0.5))), 2);
        }

        assertThat(count("vectorsync.shadow.comparisons")).isEqualTo(1);
        assertThat(registry.get("vectorsync.shadow.overlap").tags(TAGS).summary().totalAmount()).isEqualTo(0.5);
        assertThat(registry.get("vectorsync.shadow.recall").tags(TAGS).summary().totalAmount()).isEqualTo(0.5);
        assertThat(registry.get("vectorsync.shadow.score.drift").tags(TAGS).summary().totalAmount())
                .isCloseTo(0.05, within(1e-12));
        assertThat(registry.get("vectorsync.shadow.latency").tags(TAGS).tag("store", "pgvector").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(10);
        assertThat(registry.get("vectorsync.shadow.latency").tags(TAGS).tag("store", "milvus").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(40);
        assertThat(count("vectorsync.shadow.failures")).isZero();
        assertThat(count("vectorsync.shadow.dropped")).isZero();
    }

    @Test
    void summarisesTheLatestComparisonsOfACollection() {
        try (ShadowReads shadow = new ShadowReads(Runnable::run, registry, clock, 10)) {
            clock.add(Duration.ofSeconds(100));
            // Full agreement, then half, then none: overlap and recall 1, 0.5, 0; drift 0, 0.05, none.
            mirror(shadow, Duration.ofMillis(10), Duration.ofMillis(20), List.of(hit("a", 0.9), hit("b", 0.8)));
            mirror(shadow, Duration.ofMillis(30), Duration.ofMillis(60), List.of(hit("a", 0.85), hit("x", 0.8)));
            clock.add(Duration.ofSeconds(5));
            mirror(shadow, Duration.ofMillis(20), Duration.ofMillis(90), List.of(hit("y", 0.7)));

            ShadowSummary s = shadow.summary("articles");

            assertThat(s.collection()).isEqualTo("articles");
            assertThat(s.count()).isEqualTo(3);
            assertThat(s.meanOverlap()).isCloseTo(0.5, within(1e-12));
            assertThat(s.meanRecall()).isCloseTo(0.5, within(1e-12));
            assertThat(s.meanScoreDrift()).isCloseTo(0.025, within(1e-12));
            assertThat(s.legacyP50()).isEqualTo(Duration.ofMillis(20));
            assertThat(s.legacyP99()).isEqualTo(Duration.ofMillis(30));
            assertThat(s.targetP50()).isEqualTo(Duration.ofMillis(60));
            assertThat(s.targetP99()).isEqualTo(Duration.ofMillis(90));
            assertThat(s.lastAtMs()).isEqualTo(clock.wallTime());
            assertThat(shadow.summary("other")).isEqualTo(ShadowSummary.empty("other"));
        }
    }

    @Test
    void theWindowKeepsOnlyTheLatestComparisons() {
        try (ShadowReads shadow = new ShadowReads(Runnable::run, registry, clock, 2)) {
            mirror(shadow, Duration.ofMillis(500), Duration.ofMillis(500), List.of());
            mirror(shadow, Duration.ofMillis(10), Duration.ofMillis(20), LEGACY);
            mirror(shadow, Duration.ofMillis(10), Duration.ofMillis(20), LEGACY);

            ShadowSummary s = shadow.summary("articles");

            assertThat(s.count()).isEqualTo(2);
            assertThat(s.meanOverlap()).isEqualTo(1.0);
            assertThat(s.legacyP99()).isEqualTo(Duration.ofMillis(10));
        }
        assertThat(count("vectorsync.shadow.comparisons")).isEqualTo(3);
    }

    @Test
    void aFailingTargetSearchIsCountedAndNeverReachesTheCaller() {
        try (ShadowReads shadow = new ShadowReads(Runnable::run, registry, clock, 10)) {
            shadow.mirror("articles", PGVECTOR, MILVUS, LEGACY, Duration.ofMillis(10), () -> {
                throw new IllegalStateException("milvus sink unreachable");
            }, 2);
            shadow.mirror("articles", PGVECTOR, MILVUS, LEGACY, Duration.ofMillis(10), () -> null, 2);

            assertThat(shadow.summary("articles").count()).isZero();
        }
        assertThat(count("vectorsync.shadow.failures")).isEqualTo(2);
        assertThat(count("vectorsync.shadow.comparisons")).isZero();
    }

    @Test
    void aRejectedMirrorIsDroppedAndCounted() {
        Executor full = task -> {
            throw new RejectedExecutionException("queue full");
        };
        try (ShadowReads shadow = new ShadowReads(full, registry, clock, 10)) {
            shadow.mirror("articles", PGVECTOR, MILVUS, LEGACY, Duration.ofMillis(10), () -> LEGACY, 2);
        }
        assertThat(count("vectorsync.shadow.dropped")).isEqualTo(1);
        assertThat(count("vectorsync.shadow.comparisons")).isZero();
    }

    @Test
    void mirrorsAfterCloseAreDropped() {
        ShadowReads shadow = new ShadowReads(Runnable::run, registry, clock, 10);
        shadow.close();

        shadow.mirror("articles", PGVECTOR, MILVUS, LEGACY, Duration.ofMillis(10), () -> LEGACY, 2);

        assertThat(count("vectorsync.shadow.dropped")).isEqualTo(1);
        assertThat(count("vectorsync.shadow.comparisons")).isZero();
    }

    /** Its own pool: one thread busy and one mirror queued, the next is dropped without waiting. */
    @Test
    void theOwnPoolDropsMirrorsBeyondItsQueueWithoutBlockingTheCaller() throws Exception {
        ConfigReader reader = new ConfigReader(Map.of("shadow.threads", "1", "shadow.queue.capacity", "1"));
        ShadowConfig config = ShadowConfig.from(reader);
        reader.finish();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        Supplier<List<SearchHit>> blocked = () -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return LEGACY;
        };
        try (ShadowReads shadow = ShadowReads.start(config, registry, clock)) {
            shadow.mirror("articles", PGVECTOR, MILVUS, LEGACY, Duration.ofMillis(1), blocked, 2);
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            shadow.mirror("articles", PGVECTOR, MILVUS, LEGACY, Duration.ofMillis(1), () -> LEGACY, 2);
            shadow.mirror("articles", PGVECTOR, MILVUS, LEGACY, Duration.ofMillis(1), () -> LEGACY, 2);

            assertThat(count("vectorsync.shadow.dropped")).isEqualTo(1);
            release.countDown();
            await().atMost(Duration.ofSeconds(30)).until(() -> count("vectorsync.shadow.comparisons") == 2);
            assertThat(shadow.summary("articles").count()).isEqualTo(2);
        }
    }

    @Test
    void percentilesAreNearestRank() {
        long[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

        assertThat(ShadowWindow.percentile(sorted, 0.50)).isEqualTo(Duration.ofNanos(5));
        assertThat(ShadowWindow.percentile(sorted, 0.99)).isEqualTo(Duration.ofNanos(10));
        assertThat(ShadowWindow.percentile(new long[] {7}, 0.50)).isEqualTo(Duration.ofNanos(7));
    }

    private void mirror(ShadowReads shadow, Duration legacyLatency, Duration targetLatency, List<SearchHit> target) {
        shadow.mirror("articles", PGVECTOR, MILVUS, LEGACY, legacyLatency, taking(targetLatency, target), 2);
    }

    /** A target search that takes {@code latency} on the mock clock. */
    private Supplier<List<SearchHit>> taking(Duration latency, List<SearchHit> hits) {
        return () -> {
            clock.add(latency);
            return hits;
        };
    }

    private double count(String name) {
        return registry.get(name).tags(TAGS).counter().count();
    }
}
