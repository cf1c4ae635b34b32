package io.vectorsync.app.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vectorsync.core.mode.GateVerdict.Condition;
import io.vectorsync.core.mode.GateVerdict;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.model.StorageMode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.vectorsync.app.metrics.Statuses.status;
import static org.assertj.core.api.Assertions.assertThat;

class GateMetersTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, ModeStatus> statuses = new ConcurrentHashMap<>();
    private final AtomicLong now = new AtomicLong(10_000);
    private final AtomicInteger asked = new AtomicInteger();
    private final AtomicReference<GateVerdict> answer = new AtomicReference<>(GateVerdict.of(List.of(
            new Condition("target consumer lag (milvus)", false, "1234 records", "100 records"),
            new Condition("target backfill (milvus)", true, "backfill bf-1: 10/10 rows, COMPLETED", "COMPLETED"))));
    private final GateVerdictCache verdicts = new GateVerdictCache(status -> {
        asked.incrementAndGet();
        return answer.get();
    }, () -> statuses, Duration.ofSeconds(2), now::get);

    @Test
    void gateOpenAndEachConditionAreGaugesOfTheVerdictOnTheCurrentStatus() {
        new GateMeters(List.of("articles"), verdicts).bindTo(registry);
        statuses.put("articles", status("articles", StorageMode.SHADOW, 2, null));

        assertThat(open()).isZero();
        assertThat(condition("target consumer lag (milvus)")).isZero();
        assertThat(condition("target backfill (milvus)")).isEqualTo(1);
        assertThat(registry.scrape()).contains("vectorsync_gate_open{collection=\"articles\"} 0.0").contains(
                "vectorsync_gate_condition{collection=\"articles\",condition=\"target consumer lag (milvus)\"} 0.0");

        answer.set(GateVerdict.of(List.of(new Condition("target consumer lag (milvus)", true, "0 records", "100"),
                new Condition("target backfill (milvus)", true, "done", "COMPLETED"))));
        now.addAndGet(2_000);
        assertThat(open()).isEqualTo(1);
        assertThat(condition("target consumer lag (milvus)")).isEqualTo(1);
    }

    @Test
    void theGateIsAskedAtMostOncePerCacheTimeWhateverAsksForIt() {
        new GateMeters(List.of("articles"), verdicts).bindTo(registry);
        statuses.put("articles", status("articles", StorageMode.SHADOW, 2, null));
        registry.scrape();
        registry.scrape();
        verdicts.verdicts();
        assertThat(asked).hasValue(1);
        now.addAndGet(1_999);
        verdicts.verdicts();
        assertThat(asked).hasValue(1);
        now.addAndGet(1);
        verdicts.verdicts();
        assertThat(asked).hasValue(2);
    }

    @Test
    void aCollectionWithoutStatusHasNoVerdictAndAGateThatThrowsIsClosedWithTheReason() {
        new GateMeters(List.of("articles"), verdicts).bindTo(registry);
        assertThat(open()).isNaN();

        statuses.put("articles", status("articles", StorageMode.SHADOW, 2, null));
        GateVerdictCache failing = new GateVerdictCache(status -> {
            throw new IllegalStateException("Kafka is gone");
        }, () -> statuses, Duration.ofSeconds(2), now::get);
        GateVerdict verdict = failing.verdicts().get("articles");
        assertThat(verdict.open()).isFalse();
        assertThat(verdict.failures()).containsExactly("gate: the gate failed: Kafka is gone (limit an answer)");
    }

    private double open() {
        return registry.get("vectorsync.gate.open").tag("collection", "articles").gauge().value();
    }

    private double condition(String name) {
        return registry.get("vectorsync.gate.condition").tag("collection", "articles").tag("condition", name)
                .gauge().value();
    }
}
