package io.vectorsync.app.metrics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.core.snapshot.SnapshotProgress;
import io.vectorsync.core.snapshot.SnapshotProgress.State;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotMetersTest {
    private final Map<String, SnapshotProgress> latest = new HashMap<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void gaugesFollowTheLatestProgressPerTableAndAreNaNBeforeItAndWhileUnknown() {
        new SnapshotMeters(List.of("public.items"), t -> Optional.ofNullable(latest.get(t))).bindTo(registry);
        assertThat(gauge("vectorsync.snapshot.rows.done")).isNaN();

        latest.put("public.items", new SnapshotProgress("public.items", State.RUNNING, 300, -1, 0, 3_000));
        assertThat(gauge("vectorsync.snapshot.rows.done")).isEqualTo(300.0);
        assertThat(gauge("vectorsync.snapshot.rows.expected")).isNaN();
        assertThat(gauge("vectorsync.snapshot.rows.rate")).isEqualTo(100.0);
        assertThat(gauge("vectorsync.snapshot.eta")).isNaN();

        latest.put("public.items", new SnapshotProgress("public.items", State.RUNNING, 300, 1_200, 0, 3_000));
        assertThat(gauge("vectorsync.snapshot.rows.expected")).isEqualTo(1_200.0);
        assertThat(gauge("vectorsync.snapshot.eta")).isEqualTo(9.0);
        assertThat(registry.get("vectorsync.snapshot.eta").gauge().getId().getBaseUnit()).isEqualTo("seconds");

        latest.put("public.items", new SnapshotProgress("public.items", State.COMPLETED, 1_150, 1_150, 0, 11_500));
        assertThat(gauge("vectorsync.snapshot.rows.done")).isEqualTo(1_150.0);
        assertThat(gauge("vectorsync.snapshot.rows.expected")).isEqualTo(1_150.0);
        assertThat(gauge("vectorsync.snapshot.eta")).isZero();
    }

    private double gauge(String name) {
        return registry.get(name).tag("table", "public.items").gauge().value();
    }
}
