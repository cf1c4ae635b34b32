package io.vectorsync.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vectorsync.app.dashboard.Overview.CollectionOverview;
import io.vectorsync.app.dashboard.Overview.Point;
import io.vectorsync.app.dashboard.Overview.SinkOverview;
import io.vectorsync.app.dashboard.Overview;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.mode.Backfill;
import io.vectorsync.core.mode.GateVerdict.Condition;
import io.vectorsync.core.mode.GateVerdict;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode;
import io.vectorsync.core.snapshot.SnapshotProgress;
import io.vectorsync.migration.lag.LagSnapshot;
import io.vectorsync.migration.lag.LagState;
import io.vectorsync.migration.lag.LagWindowStats;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StatusViewTest {

    @Test
    void showsEverySinkCollectionGateConditionAndTheDeadLetterCount() {
        Overview overview = new Overview("vectorsync", 1_795_000_000_000L, 60_000, 300_000, 3, null,
                List.of(new SinkOverview(SinkName.PGVECTOR, new LagSnapshot(SinkName.PGVECTOR, 1, LagState.IDLE, 0, 0,
                                2048, 0.0, null), new LagWindowStats(60_000, 60, 59_000, 0, 0, 0),
                                List.of(new Point(1, 0)), 0.0),
                        new SinkOverview(SinkName.NEO4J, new LagSnapshot(SinkName.NEO4J, 1, LagState.ACTIVE, 6_100,
                                1, -1, 12.5, "replication slot 'vs' does not exist"),
                                new LagWindowStats(60_000, 60, 59_000, 400, 12_345, 13_000), List.of(), 12.5)),
                List.of(new CollectionOverview("articles", List.of(SinkName.PGVECTOR, SinkName.NEO4J), true,
                                StorageMode.SHADOW, 4L, SinkName.PGVECTOR, SinkName.NEO4J,
                                new Overview.BackfillOverview("articles-1", SinkName.NEO4J, Backfill.State.COMPLETED,
                                        300, 300, 1.0),
                                GateVerdict.of(List.of(new Condition("target consumer lag (neo4j)", true, "1 record",
                                                "100 records"),
                                        new Condition("target end-to-end lag p99 (neo4j)", false, "p99 12.3 s",
                                                "p99 10.0 s over 60.0 s")))),
                        new CollectionOverview("notes", List.of(SinkName.PGVECTOR), false, null, null, null, null,
                                null, null)),
                List.of("captured table public.notes (collection notes) was dropped"));

        String text = StatusView.render(Json.read(Json.write(overview), JsonNode.class));

        assertThat(text).isEqualTo("""
                pipeline vectorsync, at 2026-11-18 11:06:40 UTC
                NEEDS ATTENTION: captured table public.notes (collection notes) was dropped
                SINK       STATE       E2E LAG        P50        P99   CONSUMER LAG     SLOT LAG   APPLIED/S
                pgvector   IDLE           0 ms       0 ms       0 ms      0 records      2.0 KiB         0.0
                neo4j      ACTIVE        6.1 s     400 ms     12.3 s       1 record            -        12.5
                  neo4j: replication slot 'vs' does not exist

                collection articles: SHADOW, epoch 4, pgvector -> neo4j
                  backfill of neo4j: 300/300 rows, COMPLETED
                  cutover gate: CLOSED
                    ok   target consumer lag (neo4j): 1 record (limit 100 records)
                    FAIL target end-to-end lag p99 (neo4j): p99 12.3 s (limit p99 10.0 s over 60.0 s)

                collection notes: not migrating, written to pgvector

                dead-letter topic: 3 records
                """);
    }

    @Test
    void showsEachInitialSnapshotWithDoneOfExpectedRateAndEta() {
        Overview overview = new Overview("vectorsync", 1_795_000_000_000L, 60_000, 300_000, 0, null, List.of(),
                List.of(), List.of(), List.of(
                        new Overview.SnapshotOverview("public.articles", SnapshotProgress.State.RUNNING, 2_000,
                                8_000, 0.25, 500.0, 12_000L, 1_794_999_995_000L, 1_000),
                        new Overview.SnapshotOverview("public.big", SnapshotProgress.State.RUNNING, 10, -1, null,
                                2.0, null, 1_794_999_900_000L, 45_000),
                        new Overview.SnapshotOverview("public.notes", SnapshotProgress.State.COMPLETED, 300, 300,
                                1.0, 100.0, 0L, 1_794_999_940_000L, 57_000)));

        String text = StatusView.render(Json.read(Json.write(overview), JsonNode.class));

        assertThat(text).contains("""

                initial snapshot of public.articles: 2000 of ~8000 rows (25%), 500.0 rows/s, ETA 12.0 s, RUNNING
                initial snapshot of public.big: 10 of ? rows, 2.0 rows/s, ETA unknown, RUNNING (figures 45.0 s old)
                initial snapshot of public.notes: 300 rows, COMPLETED

                dead-letter topic: 0 records
                """);
    }
}
