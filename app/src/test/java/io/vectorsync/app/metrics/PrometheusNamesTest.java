package io.vectorsync.app.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.core.mode.Backfill;
import io.vectorsync.core.mode.GateVerdict;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode;
import io.vectorsync.core.snapshot.SnapshotProgress;
import io.vectorsync.sink.runner.SinkMetrics;
import io.vectorsync.streams.topology.EnrichmentMetrics;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.vectorsync.app.metrics.Statuses.backfill;
import static io.vectorsync.app.metrics.Statuses.status;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prometheus allows one type and one set of tag keys per name, and Micrometer drops a meter that breaks this with a
 * single warning: the new meters must not clash with the ones the workers already register.
 */
class PrometheusNamesTest {

    @Test
    void theNewMetersAndTheWorkersMetersAreAllExported() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        List<String> failures = new ArrayList<>();
        registry.config().onMeterRegistrationFailed((id, reason) -> failures.add(id + ": " + reason));
        registry.config().meterFilter(new CaptureCollectionTag(MappingConfig.from(new ConfigReader(Map.of(
                "collections.articles.table", "public.articles",
                "collections.articles.id", "id",
                "collections.articles.template", "{title}",
                "collections.articles.legacy", "pgvector",
                "collections.articles.target", "milvus")))));
        Map<String, ModeStatus> statuses = Map.of("articles", status("articles", StorageMode.DUAL_WRITE, 1,
                backfill(Backfill.State.RUNNING, 5, 10)));
        GateVerdictCache verdicts = new GateVerdictCache(s -> GateVerdict.of(List.of(
                new GateVerdict.Condition("target backfill (milvus)", false, "5/10 rows, RUNNING", "COMPLETED"))),
                () -> statuses, Duration.ofSeconds(2), System::currentTimeMillis);

        new EnrichmentMetrics(registry);
        new SinkMetrics(SinkName.PGVECTOR, registry);
        Counter.builder("vectorsync.capture.records").tag("table", "public.articles").register(registry);
        Counter.builder("vectorsync.backfill.rows").tag("collection", "articles").register(registry);
        new ModeMeters(List.of("articles"), () -> statuses).bindTo(registry);
        new BackfillMeters(List.of("articles"), () -> statuses).bindTo(registry);
        new GateMeters(List.of("articles"), verdicts).bindTo(registry);
        new DeadLetterMeters(() -> DeadLetters.counted(3)).bindTo(registry);
        new SnapshotMeters(List.of("public.articles"), t -> Optional.of(new SnapshotProgress(t,
                SnapshotProgress.State.RUNNING, 5, 10, 0, 1_000))).bindTo(registry);
        registry.scrape();
        String scrape = registry.scrape();

        assertThat(failures).isEmpty();
        assertThat(scrape).contains("vectorsync_dlq_records_total{stage=\"streams\"}", "vectorsync_dlq_topic_records",
                "vectorsync_backfill_rows_total{collection=\"articles\"}", "vectorsync_backfill_rows_done",
                "vectorsync_backfill_rows_expected", "vectorsync_mode{", "vectorsync_mode_epoch{",
                "vectorsync_gate_open{", "vectorsync_gate_condition{",
                "vectorsync_capture_records_total{collection=\"articles\",table=\"public.articles\"}",
                "vectorsync_snapshot_rows_done{table=\"public.articles\"} 5.0",
                "vectorsync_snapshot_rows_expected{table=\"public.articles\"} 10.0",
                "vectorsync_snapshot_rows_rate{table=\"public.articles\"} 5.0",
                "vectorsync_snapshot_eta_seconds{table=\"public.articles\"} 1.0");
    }
}
