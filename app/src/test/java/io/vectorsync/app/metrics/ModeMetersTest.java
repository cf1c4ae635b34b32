package io.vectorsync.app.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vectorsync.core.mode.Backfill;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.model.StorageMode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static io.vectorsync.app.metrics.Statuses.backfill;
import static io.vectorsync.app.metrics.Statuses.status;
import static org.assertj.core.api.Assertions.assertThat;

class ModeMetersTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, ModeStatus> statuses = new ConcurrentHashMap<>();

    @Test
    void theCurrentModeIsOneAndEveryOtherModeZeroAndTheGaugesFollowAModeChange() {
        new ModeMeters(List.of("articles"), () -> statuses).bindTo(registry);
        statuses.put("articles", status("articles", StorageMode.DUAL_WRITE, 3, null));
        assertThat(mode("DUAL_WRITE")).isEqualTo(1);
        assertThat(mode("SOURCE_ONLY")).isZero();
        assertThat(mode("CUTOVER")).isZero();
        assertThat(registry.get("vectorsync.mode.epoch").tag("collection", "articles").gauge().value()).isEqualTo(3);

        statuses.put("articles", status("articles", StorageMode.CUTOVER, 4, null));
        assertThat(mode("DUAL_WRITE")).isZero();
        assertThat(mode("CUTOVER")).isEqualTo(1);
        assertThat(registry.get("vectorsync.mode.epoch").tag("collection", "articles").gauge().value()).isEqualTo(4);
        assertThat(registry.scrape()).contains("vectorsync_mode{collection=\"articles\",mode=\"CUTOVER\"} 1.0")
                .contains("vectorsync_mode_epoch{collection=\"articles\"} 4.0");
    }

    @Test
    void aCollectionWithoutStatusHasNoModeRatherThanAFalseOne() {
        new ModeMeters(List.of("articles"), () -> statuses).bindTo(registry);
        assertThat(mode("SOURCE_ONLY")).isNaN();
        assertThat(registry.get("vectorsync.mode.epoch").gauge().value()).isNaN();
    }

    @Test
    void backfillGaugesShowRowsDoneAndExpectedAndNaNWhileTheTotalIsNotCounted() {
        new BackfillMeters(List.of("articles"), () -> statuses).bindTo(registry);
        assertThat(backfillRows("done")).isNaN();

        statuses.put("articles", status("articles", StorageMode.DUAL_WRITE, 1,
                backfill(Backfill.State.RUNNING, 0, -1)));
        assertThat(backfillRows("done")).isZero();
        assertThat(backfillRows("expected")).isNaN();

        statuses.put("articles", status("articles", StorageMode.DUAL_WRITE, 1,
                backfill(Backfill.State.RUNNING, 1200, 5000)));
        assertThat(backfillRows("done")).isEqualTo(1200);
        assertThat(backfillRows("expected")).isEqualTo(5000);
        assertThat(registry.scrape()).contains("vectorsync_backfill_rows_done{collection=\"articles\"} 1200.0")
                .contains("vectorsync_backfill_rows_expected{collection=\"articles\"} 5000.0");
    }

    private double mode(String mode) {
        return registry.get("vectorsync.mode").tag("collection", "articles").tag("mode", mode).gauge().value();
    }

    private double backfillRows(String which) {
        return registry.get("vectorsync.backfill.rows." + which).tag("collection", "articles").gauge().value();
    }
}
