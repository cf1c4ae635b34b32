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
        return scanCompleted("sig", table, status, table.toString());
    }

    /**
     * @param queue Debezium's snapshot queue as it lists it, the scan that ended first
     */
    private static SnapshotNotification scanCompleted(String signalId, TableId table, String status, String queue) {
        return new SnapshotNotification(signalId, "Incremental Snapshot", "TABLE_SCAN_COMPLETED",
                Map.of("scanned_collection", table.toString(), "status", status, "data_collections", queue));
    }

    /** A new backfill whose signal Debezium has read. */
    private void started(String backfillId, String collection, TableId table, long rowsTotal) {
        tracker.start(backfillId, collection, table, rowsTotal);
        tracker.signalled(backfillId);
    }

    private void rows(TableId table, int n) {
        for (int i = 0; i < n; i++) {
            tracker.snapshotRow(table);
        }
    }

    @Test
    void startSendsRunningAtOnceWithTheCountedTotal() {
        started("docs-2", "docs", DOCS, 3000);

        assertThat(sent).containsExactly(new BackfillProgress("docs-2", "docs", State.RUNNING, 0, 3000, 10_000));
        assertThat(tracker.backfillOf(DOCS)).contains("docs-2");
        assertThat(tracker.running()).isEqualTo(1);
        assertThat(registry.get("vectorsync.backfill.running").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void progressIsSentAtMostOncePerIntervalAndOnlyWhenRowsMoved() {
        started("docs-2", "docs", DOCS, 3000);
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
        started("docs-2", "docs", DOCS, 3000);
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
        started("docs-2", "docs", DOCS, 0);
        started("items-4", "items", ITEMS, 10);

        tracker.notified(scanCompleted(DOCS, "EMPTY"));
        tracker.notified(scanCompleted(ITEMS, "NO_PRIMARY_KEY"));

        assertThat(sent.subList(2, 4)).extracting(BackfillProgress::backfillId, BackfillProgress::state)
                .containsExactly(tuple("docs-2", State.COMPLETED),
                        tuple("items-4", State.ABORTED));
    }

    @Test
    void anAbortNamingTablesEndsThoseAndAnAbortOfTheWholeSnapshotEndsEveryBackfill() {
        started("docs-2", "docs", DOCS, 10);
        started("items-4", "items", ITEMS, 10);

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
        started("docs-2", "docs", DOCS, 10);

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
        started("docs-2", "docs", DOCS, 10);

        assertThatThrownBy(() -> tracker.start("docs-5", "docs", DOCS, 10))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("table public.docs is already being backfilled by 'docs-2'; backfill 'docs-5' has to"
                        + " wait");
    }

    @Test
    void aForgottenBackfillFreesItsTableButOnlyForItsOwnId() {
        started("docs-2", "docs", DOCS, 10);

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
        tracker.resume("docs-2", "docs", DOCS, 3000, 1200);
        rows(DOCS, 3);
        tracker.notified(scanCompleted(DOCS, "SUCCEEDED"));

        assertThat(sent).extracting(BackfillProgress::rowsDone).containsExactly(1200L, 1203L);
    }

    @Test
    void anEndKafkaDidNotTakeFailsTheNotificationSoItIsNotCommitted() {
        BackfillTracker failing = new BackfillTracker(1000, registry, p -> p.state() == State.RUNNING
                ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(new TimeoutException("no broker")), now::get);
        failing.start("docs-2", "docs", DOCS, 10);
        failing.signalled("docs-2");

        assertThatThrownBy(() -> failing.notified(scanCompleted(DOCS, "SUCCEEDED")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the end of a backfill could not be published")
                .hasMessageContaining("no broker");
    }

    // ---- other incremental snapshots of the same tables (re-drives) ---------------------------------

    @Test
    void aRereadOfATableNoBackfillRunsOnIsIgnoredWithoutProgressOrError() {
        tracker.signalled("redrive-1");
        rows(DOCS, 3);
        tracker.notified(scanCompleted("redrive-1", DOCS, "SUCCEEDED", "public.docs"));
        now.addAndGet(5000);
        tracker.sendDue();
        tracker.sendAll();

        assertThat(sent).isEmpty();
        assertThat(registry.find("vectorsync.backfill.rows").counters()).isEmpty();
        assertThat(tracker.running()).isZero();
    }

    @Test
    void aScanEndingBeforeDebeziumReadTheBackfillsSignalIsAnotherSnapshotsAndItsRowsAreNotCounted() {
        tracker.start("docs-2", "docs", DOCS, 10);
        // A re-read of DOCS queued before the backfill's signal was read: its rows, then its end.
        rows(DOCS, 3);
        tracker.notified(scanCompleted("redrive-1", DOCS, "SUCCEEDED", "public.docs"));
        assertThat(tracker.backfillOf(DOCS)).contains("docs-2");

        tracker.signalled("docs-2");
        rows(DOCS, 10);
        tracker.notified(scanCompleted("docs-2", DOCS, "SUCCEEDED", "public.docs"));

        assertThat(sent).extracting(BackfillProgress::state, BackfillProgress::rowsDone)
                .containsExactly(tuple(State.RUNNING, 0L), tuple(State.COMPLETED, 10L));
    }

    @Test
    void aScanWithAnotherScanOfTheTableQueuedBehindItLeavesTheBackfillToTheLastOne() {
        started("docs-2", "docs", DOCS, 10);
        rows(DOCS, 10);
        // A re-read was queued behind the backfill; its notifications carry the newest signal's id.
        tracker.signalled("redrive-1");
        tracker.notified(scanCompleted("redrive-1", DOCS, "SUCCEEDED", "public.docs,shop.items,public.docs"));
        assertThat(tracker.backfillOf(DOCS)).contains("docs-2");

        rows(DOCS, 2);
        tracker.notified(scanCompleted("redrive-1", DOCS, "SUCCEEDED", "public.docs,shop.items"));

        assertThat(sent).last().extracting(BackfillProgress::state, BackfillProgress::rowsDone)
                .containsExactly(State.COMPLETED, 12L);
    }

    /** Debezium ends the scan of an empty table while it reads the signal, before the signal's row comes. */
    @Test
    void aNotificationCarryingTheBackfillsSignalIdShowsItsSignalWasRead() {
        tracker.start("docs-2", "docs", DOCS, 0);

        tracker.notified(scanCompleted("docs-2", DOCS, "EMPTY", "public.docs"));

        assertThat(sent).last().extracting(BackfillProgress::state).isEqualTo(State.COMPLETED);
        assertThat(tracker.backfillOf(DOCS)).isEmpty();
    }

    @Test
    void aLongBackfillIdIsMatchedByTheSignalIdItWasGiven() {
        String backfillId = "a_collection_with_a_rather_long_name_for_docs-12";
        tracker.start(backfillId, "docs", DOCS, 5);

        tracker.signalled(BackfillSource.signalId(backfillId));
        rows(DOCS, 5);
        tracker.notified(scanCompleted("redrive-9", DOCS, "SUCCEEDED", "public.docs"));

        assertThat(sent).last().extracting(BackfillProgress::state, BackfillProgress::rowsDone)
                .containsExactly(State.COMPLETED, 5L);
    }

    @Test
    void aResumedBackfillCountsAsReadUntilItsSignalIsWrittenAgain() {
        tracker.resume("docs-2", "docs", DOCS, 10, 4);
        tracker.expectSignal(DOCS);
        rows(DOCS, 3);
        tracker.notified(scanCompleted("redrive-1", DOCS, "SUCCEEDED", "public.docs"));
        assertThat(tracker.backfillOf(DOCS)).contains("docs-2");

        tracker.signalRead(DOCS);
        rows(DOCS, 6);
        tracker.notified(scanCompleted("redrive-1", DOCS, "SUCCEEDED", "public.docs"));

        assertThat(sent).extracting(BackfillProgress::state, BackfillProgress::rowsDone)
                .containsExactly(tuple(State.RUNNING, 4L), tuple(State.COMPLETED, 10L));
    }
}
