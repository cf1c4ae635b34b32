package io.vectorsync.app.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.vectorsync.app.metrics.DeadLetters;
import io.vectorsync.app.metrics.GateVerdictCache;
import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.mode.Backfill;
import io.vectorsync.core.mode.GateVerdict.Condition;
import io.vectorsync.core.mode.GateVerdict;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode.StoreRole;
import io.vectorsync.core.model.StorageMode;
import io.vectorsync.core.snapshot.SnapshotProgress;
import io.vectorsync.migration.lag.LagState;
import io.vectorsync.migration.lag.LagWindowStats;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class OverviewServiceTest {
    private static final long NOW = 1_700_000_600_000L;

    private final MappingConfig mappings = MappingConfig.from(new ConfigReader(Map.of(
            "collections.articles.table", "public.articles",
            "collections.articles.id", "id",
            "collections.articles.template", "{title}",
            "collections.articles.legacy", "pgvector",
            "collections.articles.target", "milvus",
            "collections.notes.table", "public.notes",
            "collections.notes.id", "id",
            "collections.notes.template", "{body}",
            "collections.notes.sinks", "neo4j,pgvector")));
    private final FakeLag lag = new FakeLag();
    private final Map<String, ModeStatus> statuses = new ConcurrentHashMap<>();
    private List<String> warnings = List.of();
    private List<SnapshotProgress> snapshots = List.of();
    private final AtomicInteger gateAsked = new AtomicInteger();
    private final AtomicReference<DeadLetters> dlq = new AtomicReference<>(DeadLetters.counted(3));
    private final GateVerdict closed = GateVerdict.of(List.of(
            new Condition("target consumer lag (milvus)", false, "1234 records", "100 records"),
            new Condition("target backfill (milvus)", true, "backfill bf-1: 5000/5000 rows, COMPLETED", "COMPLETED")));

    private OverviewService service() {
        GateVerdictCache verdicts = new GateVerdictCache(status -> {
            gateAsked.incrementAndGet();
            return closed;
        }, () -> statuses, Duration.ofSeconds(2), () -> NOW);
        return new OverviewService("vs-test", mappings.collections(),
                EnumSet.of(SinkName.PGVECTOR, SinkName.NEO4J, SinkName.MILVUS), lag, Duration.ofMinutes(1),
                Duration.ofMinutes(5), () -> statuses, verdicts, dlq::get, () -> NOW, () -> warnings, () -> snapshots);
    }

    @Test
    void eachSinkHasItsLatestSampleWindowStatsChartHistoryAndThroughput() {
        lag.sample(SinkName.PGVECTOR, NOW - 400_000, LagState.ACTIVE, 9_999, 1)      // older than the chart's span
                .sample(SinkName.PGVECTOR, NOW - 2_000, LagState.ACTIVE, 120, 40.5)
                .sample(SinkName.PGVECTOR, NOW - 1_500, LagState.UNKNOWN, -1, 0)      // unknown lag: no point
                .sample(SinkName.PGVECTOR, NOW - 1_000, LagState.IDLE, 0, 12.5)
                .window(SinkName.PGVECTOR, new LagWindowStats(60_000, 2, 1_000, 0, 120, 120))
                .sample(SinkName.NEO4J, NOW - 1_000, LagState.STALLED, 45_000, 0);

        Overview overview = service().build();

        assertThat(overview.pipeline()).isEqualTo("vs-test");
        assertThat(overview.generatedAtMs()).isEqualTo(NOW);
        assertThat(overview.lagWindowMs()).isEqualTo(60_000);
        assertThat(overview.chartSpanMs()).isEqualTo(300_000);
        assertThat(overview.sinks()).extracting(Overview.SinkOverview::sink)
                .containsExactly(SinkName.PGVECTOR, SinkName.NEO4J, SinkName.MILVUS);
        Overview.SinkOverview pgvector = overview.sinks().get(0);
        assertThat(pgvector.latest().state()).isEqualTo(LagState.IDLE);
        assertThat(pgvector.history()).containsExactly(new Overview.Point(NOW - 2_000, 120),
                new Overview.Point(NOW - 1_000, 0));
        assertThat(pgvector.window().p99Ms()).isEqualTo(120);
        assertThat(pgvector.appliedPerSecond()).isEqualTo(12.5);
        assertThat(lag.windowsAsked).containsOnly(Duration.ofMinutes(1));
        Overview.SinkOverview milvus = overview.sinks().get(2);
        assertThat(milvus.latest()).isNull();
        assertThat(milvus.appliedPerSecond()).isNull();
        assertThat(milvus.history()).isEmpty();
        assertThat(milvus.window().samples()).isZero();
    }

    @Test
    void aMigratingCollectionShowsModeEpochBackfillAndTheGatesReasonsAndAPlainOneItsStores() {
        statuses.put("articles", new ModeStatus("articles", StorageMode.SHADOW, 4, SinkName.PGVECTOR,
                SinkName.MILVUS, NOW - 10_000, "ops", "compare reads", false,
                new Backfill("bf-1", StoreRole.TARGET, SinkName.MILVUS, Backfill.State.RUNNING, 1200, 5000,
                        NOW - 60_000, 0), null));

        Overview overview = service().build();

        Overview.CollectionOverview articles = overview.collections().stream()
                .filter(c -> c.collection().equals("articles")).findFirst().orElseThrow();
        assertThat(articles.migrating()).isTrue();
        assertThat(articles.mode()).isEqualTo(StorageMode.SHADOW);
        assertThat(articles.epoch()).isEqualTo(4);
        assertThat(articles.legacy()).isEqualTo(SinkName.PGVECTOR);
        assertThat(articles.target()).isEqualTo(SinkName.MILVUS);
        assertThat(articles.backfill()).isEqualTo(new Overview.BackfillOverview("bf-1", SinkName.MILVUS,
                Backfill.State.RUNNING, 1200, 5000, 0.24));
        assertThat(articles.gate()).isEqualTo(closed);
        Overview.CollectionOverview notes = overview.collections().stream()
                .filter(c -> c.collection().equals("notes")).findFirst().orElseThrow();
        assertThat(notes.migrating()).isFalse();
        assertThat(notes.sinks()).containsExactly(SinkName.PGVECTOR, SinkName.NEO4J);
        assertThat(notes.mode()).isNull();
        assertThat(notes.gate()).isNull();
        assertThat(overview.dlqRecords()).isEqualTo(3);
        assertThat(overview.dlqProblem()).isNull();
    }

    @Test
    void beforeItsStatusIsKnownAMigratingCollectionShowsItsStoresAndTheGateIsNotAsked() {
        Overview overview = service().build();

        Overview.CollectionOverview articles = overview.collections().get(0);
        assertThat(articles.collection()).isEqualTo("articles");
        assertThat(articles.migrating()).isTrue();
        assertThat(articles.mode()).isNull();
        assertThat(articles.legacy()).isEqualTo(SinkName.PGVECTOR);
        assertThat(articles.gate()).isNull();
        assertThat(gateAsked).hasValue(0);
    }

    @Test
    void anUnknownDeadLetterCountIsMinusOneWithTheReason() {
        dlq.set(DeadLetters.unknown("topic vs-test.dlq does not exist"));
        Overview overview = service().build();
        assertThat(overview.dlqRecords()).isEqualTo(-1);
        assertThat(overview.dlqProblem()).isEqualTo("topic vs-test.dlq does not exist");
    }

    @Test
    void initialSnapshotsShowDoneOfExpectedRateEtaAndTheFiguresAge() {
        snapshots = List.of(
                new SnapshotProgress("public.articles", SnapshotProgress.State.RUNNING, 2_000, 8_000, NOW - 5_000,
                        NOW - 1_000),
                new SnapshotProgress("public.notes", SnapshotProgress.State.COMPLETED, 300, 300, NOW - 60_000,
                        NOW - 57_000));

        JsonNode json = Json.read(Json.write(service().build()), JsonNode.class).path("snapshots");

        assertThat(json.get(0).toString()).isEqualTo("{\"table\":\"public.articles\",\"state\":\"RUNNING\","
                + "\"rows_done\":2000,\"rows_expected\":8000,\"fraction\":0.25,\"rows_per_second\":500.0,"
                + "\"eta_ms\":12000,\"started_at_ms\":" + (NOW - 5_000) + ",\"age_ms\":1000}");
        assertThat(json.get(1).path("state").asText()).isEqualTo("COMPLETED");
        assertThat(json.get(1).path("fraction").asDouble()).isEqualTo(1.0);
        assertThat(json.get(1).path("eta_ms").asLong()).isZero();
        assertThat(json.get(1).path("rows_per_second").asDouble()).isEqualTo(100.0);
    }

    @Test
    void warningsAreShownAsTheyAreNow() {
        assertThat(service().build().warnings()).isEmpty();
        warnings = List.of("captured table public.articles (collection articles) was dropped");
        assertThat(service().build().warnings()).containsExactly(
                "captured table public.articles (collection articles) was dropped");
    }

    @Test
    void theJsonUsesStableSnakeCaseNamesAndChartPointsArePairs() {
        lag.sample(SinkName.PGVECTOR, NOW - 1_000, LagState.ACTIVE, 250, 8);
        statuses.put("articles", new ModeStatus("articles", StorageMode.DUAL_WRITE, 2, SinkName.PGVECTOR,
                SinkName.MILVUS, NOW, "ops", "go", false,
                new Backfill("bf-1", StoreRole.TARGET, SinkName.MILVUS, Backfill.State.RUNNING, 0, -1, NOW, 0),
                null));

        JsonNode json = Json.read(Json.write(service().build()), JsonNode.class);

        assertThat(json.fieldNames()).toIterable().containsExactly("pipeline", "generated_at_ms", "lag_window_ms",
                "chart_span_ms", "dlq_records", "dlq_problem", "sinks", "collections", "warnings", "snapshots");
        JsonNode sink = json.path("sinks").get(0);
        assertThat(sink.fieldNames()).toIterable().containsExactly("sink", "latest", "window", "history",
                "applied_per_second");
        assertThat(sink.path("sink").asText()).isEqualTo("pgvector");
        assertThat(sink.path("latest").path("e2e_lag_ms").asLong()).isEqualTo(250);
        assertThat(sink.path("latest").path("consumer_lag_records").asLong()).isEqualTo(4);
        assertThat(sink.path("window").has("p99_ms")).isTrue();
        assertThat(sink.path("history").toString()).isEqualTo("[[" + (NOW - 1_000) + ",250]]");
        JsonNode articles = json.path("collections").get(0);
        assertThat(articles.fieldNames()).toIterable().containsExactly("collection", "sinks", "migrating", "mode",
                "epoch", "legacy", "target", "backfill", "gate");
        assertThat(articles.path("backfill").path("rows_total").asLong()).isEqualTo(-1);
        assertThat(articles.path("backfill").path("fraction").isNull()).isTrue();
        assertThat(articles.path("gate").path("conditions").get(0).path("threshold").asText())
                .isEqualTo("100 records");
    }
}
