package io.vectorsync.connector;

import io.vectorsync.core.model.TableId;
import io.vectorsync.core.snapshot.SnapshotProgress;
import io.vectorsync.core.snapshot.SnapshotProgress.State;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class InitialSnapshotTrackerTest {
    private static final TableId ITEMS = new TableId("public", "items");

    private long now = 1_000_000;
    private final AtomicInteger estimates = new AtomicInteger();
    private final List<SnapshotProgress> published = new ArrayList<>();
    private final InitialSnapshotTracker tracker = new InitialSnapshotTracker(t -> {
        estimates.incrementAndGet();
        return 4_000;
    }, published::add, () -> now);

    @Test
    void reportsDoneOfExpectedWithRateAndEtaThenCompletesWithTheRowsRead() {
        rows(1_000, false);
        now += 2_000;
        tracker.report();
        now += 1_000;
        tracker.report(); // nothing moved: nothing published
        rows(499, false);
        rows(1, true);
        now += 1_000;
        tracker.report();
        tracker.report();

        assertThat(published).containsExactly(
                new SnapshotProgress("public.items", State.RUNNING, 1_000, 4_000, 1_000_000, 1_002_000),
                new SnapshotProgress("public.items", State.COMPLETED, 1_500, 1_500, 1_000_000, 1_004_000));
        SnapshotProgress running = published.get(0);
        assertThat(running.ratePerSecond()).isEqualTo(500.0);
        assertThat(running.fraction()).isEqualTo(0.25);
        assertThat(running.etaMs()).isEqualTo(6_000);
        assertThat(running.describe()).isEqualTo("public.items: 1000 of ~4000 rows (25%), ETA 6.0 s, 500.0 rows/s");
        assertThat(published.get(1).describe()).isEqualTo("public.items: 1500 rows, completed in 4.0 s, 375.0 rows/s");
        assertThat(estimates).hasValue(1);
    }

    @Test
    void unknownExpectedRowsGiveAnUnknownEtaAndFraction() {
        InitialSnapshotTracker unknown = new InitialSnapshotTracker(t -> {
            throw new java.sql.SQLException("permission denied for table items");
        }, published::add, () -> now);
        unknown.initialSnapshotRow(ITEMS, false);
        now += 100;
        unknown.report();

        SnapshotProgress p = published.get(0);
        assertThat(p.rowsExpected()).isEqualTo(-1);
        assertThat(p.etaMs()).isEqualTo(-1);
        assertThat(p.fraction()).isEqualTo(-1);
        assertThat(p.describe()).isEqualTo("public.items: 1 of ? rows, ETA unknown, 10.0 rows/s");
    }

    private void rows(int n, boolean lastIsLast) {
        for (int i = 0; i < n; i++) {
            tracker.initialSnapshotRow(ITEMS, lastIsLast && i == n - 1);
        }
    }
}
