package io.vectorsync.connector;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.core.mode.Backfill.State;
import io.vectorsync.core.mode.BackfillProgress;
import io.vectorsync.core.model.TableId;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class BackfillTrackerTest {
    private static final TableId DOCS = new TableId("public", "docs");
    private static final TableId ITEMS = new TableId("shop", "items");

    private final AtomicLong now = new AtomicLong(10_000);
    private final List<BackfillProgress> sent = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final BackfillTracker tracker = new BackfillTracker(1000, registry, p -> {
        sent.add(p);
        return CompletableFuture.completedFuture(null);
    }, now::get);

    private static SnapshotNotification scanCompleted(TableId table, String status) {
        return new SnapshotNotification("sig", "Incremental Snapshot", "TABLE_SCAN_COMPLETED",
                Map.of("scanned_collection", table.toString(), "status", status));
    }

    private void rows(TableId table, int n) {
        for (int i = 0; i < n; i++) {
            tracker.snapshotRow(table);
        }
    }

    @Test
    void startSendsRunningAtOnceWithTheCountedTotal() {
        tracker.start("docs-2", "docs", DOCS, 3000, 0);

        assertThat(sent).containsExactly(new BackfillProgress("docs-2", "docs", State.RUNNING, 0, 3000, 10_000));
        assertThat(tracker.backfillOf(DOCS)).contains("docs-2");
        assertThat(tracker.running()).isEqualTo(1);
        assertThat(registry.get("vectorsync.backfill.running").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void progressIsSentAtMostOncePerIntervalAndOnlyWhenRowsMoved() {
        tracker.start("docs-2", "docs", DOCS, 3000, 0);
        rows(DOCS, 500);

        now.addAndGet(999);
        tracker.sendDue();
        now.addAndGet(1);
        tracker.sendDue();
        tracker.sendDue();
        now.addAndGet(5000);
        tracker.sendDue();
        rows(DOCS, 10);
        now.addAndGet(1000);
        tracker.sendDue();

        assertThat(sent).extracting(BackfillProgress::rowsDone, BackfillProgress::atMs)
                .containsExactly(tuple(0L, 10_000L),
                        tuple(500L, 11_000L),
                        tuple(510L, 17_000L));
    }

    @Test
    void aCompletedTableScanEndsTheBackfillAtOnceWithEveryRowCountedAndFreesTheTable() {
        tracker.start("docs-2", "docs", DOCS, 3000, 0);
        rows(DOCS, 3000);
        now.addAndGet(10);

        tracker.notified(scanCompleted(DOCS, "SUCCEEDED"));

        assertThat(sent).last().isEqualTo(new BackfillProgress("docs-2", "docs", State.COMPLETED, 3000, 3000,
                10_010));
        assertThat(tracker.backfillOf(DOCS)).isEmpty();
        assertThat(tracker.running()).isZero();
        assertThat(registry.get("vectorsync.backfill.rows").tag("collection", "docs").counter().count())
                .isEqualTo(3000.0);
        tracker.snapshotRow(DOCS);
        now.addAndGet(5000);
        tracker.sendDue();
        assertThat(sent).hasSize(2);
    }

    @Test
    void anEmptyTableCompletesButAScanDebeziumSkippedIsAborted() {
        tracker.start("docs-2", "docs", DOCS, 0, 0);
        tracker.start("items-4", "items", ITEMS, 10, 0);

        tracker.notified(scanCompleted(DOCS, "EMPTY"));
        tracker.notified(scanCompleted(ITEMS, "NO_PRIMARY_KEY"));

        assertThat(sent.subList(2, 4)).extracting(BackfillProgress::backfillId, BackfillProgress::state)
                .containsExactly(tuple("docs-2", State.COMPLETED),
                        tuple("items-4", State.ABORTED));
    }

    @Test
    void anAbortNamingTablesEndsThoseAndAnAbortOfTheWholeSnapshotEndsEveryBackfill() {
        tracker.start("docs-2", "docs", DOCS, 10, 0);
        tracker.start("items-4", "items", ITEMS, 10, 0);

        tracker.notified(new SnapshotNotification("sig", "Incremental Snapshot", "ABORTED",
                Map.of("data_collections", "shop.items")));
        assertThat(tracker.backfillOf(ITEMS)).isEmpty();
        assertThat(tracker.backfillOf(DOCS)).contains("docs-2");

        tracker.notified(new SnapshotNotification("sig", "Incremental Snapshot", "ABORTED", Map.of()));

        assertThat(tracker.running()).isZero();
        assertThat(sent.subList(2, 4)).extracting(BackfillProgress::backfillId, BackfillProgress::state)
                .containsExactly(tuple("items-4", State.ABORTED),
                        tuple("docs-2", State.ABORTED));
    }

    @Test
    void rowsOfOtherTablesAndOtherNotificationsChangeNothing() {
        tracker.start("docs-2", "docs", DOCS, 10, 0);

        rows(ITEMS, 5);
        tracker.notified(new SnapshotNotification("x", "Initial Snapshot", "TABLE_SCAN_COMPLETED",
                Map.of("scanned_collection", "public.docs", "status", "SUCCEEDED")));
        tracker.notified(new SnapshotNotification("x", "Incremental Snapshot", "IN_PROGRESS",
                Map.of("current_collection_in_progress", "public.docs")));
        tracker.notified(scanCompleted(ITEMS, "SUCCEEDED"));
        now.addAndGet(5000);
        tracker.sendDue();

        assertThat(sent).hasSize(1);
        assertThat(tracker.backfillOf(DOCS)).contains("docs-2");
        assertThat(registry.find("vectorsync.backfill.rows").counters()).isEmpty();
    }

    @Test
    void aSecondBackfillOfATableStillRunningIsRefused() {
        tracker.start("docs-2", "docs", DOCS, 10, 0);

        assertThatThrownBy(() -> tracker.start("docs-5", "docs", DOCS, 10, 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("table public.docs is already being backfilled by 'docs-2'; backfill 'docs-5' has to"
                        + " wait");
    }

    @Test
    void aForgottenBackfillFreesItsTableButOnlyForItsOwnId() {
        tracker.start("docs-2", "docs", DOCS, 10, 0);

        tracker.forget(DOCS, "docs-1");
        assertThat(tracker.backfillOf(DOCS)).contains("docs-2");
        tracker.forget(DOCS, "docs-2");

        assertThat(tracker.backfillOf(DOCS)).isEmpty();
        tracker.snapshotRow(DOCS);
        tracker.notified(scanCompleted(DOCS, "SUCCEEDED"));
        assertThat(sent).hasSize(1);
    }

    @Test
    void aBackfillFollowedAgainAfterARestartGoesOnFromItsLastCount() {
        tracker.start("docs-2", "docs", DOCS, 3000, 1200);
        rows(DOCS, 3);
        tracker.notified(scanCompleted(DOCS, "SUCCEEDED"));

        assertThat(sent).extracting(BackfillProgress::rowsDone).containsExactly(1200L, 1203L);
    }

    @Test
    void anEndKafkaDidNotTakeFailsTheNotificationSoItIsNotCommitted() {
        BackfillTracker failing = new BackfillTracker(1000, registry, p -> p.state() == State.RUNNING
                ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(new TimeoutException("no broker")), now::get);
        failing.start("docs-2", "docs", DOCS, 10, 0);

        assertThatThrownBy(() -> failing.notified(scanCompleted(DOCS, "SUCCEEDED")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the end of a backfill could not be published")
                .hasMessageContaining("no broker");
    }
}
