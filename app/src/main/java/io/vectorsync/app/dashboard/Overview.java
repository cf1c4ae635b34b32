package io.vectorsync.app.dashboard;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.vectorsync.core.mode.Backfill;
import io.vectorsync.core.mode.GateVerdict;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode;
import io.vectorsync.core.snapshot.SnapshotProgress;
import io.vectorsync.migration.lag.LagSnapshot;
import io.vectorsync.migration.lag.LagWindowStats;

import java.util.List;

/**
 * Everything the dashboard shows, as {@code GET /api/overview} returns it (snake_case names; a figure that cannot be
 * told is null, or -1 where the lag monitor says so).
 *
 * @param lagWindowMs the window of each sink's p50/p99
 * @param chartSpanMs how far back each sink's history goes
 * @param dlqRecords  records on the dead-letter topic; -1 when unknown, {@code dlqProblem} says why
 * @param warnings    what an operator must act on although nothing has failed (a captured table renamed or dropped),
 *                    one sentence each; {@code /health} answers DEGRADED while there are any
 * @param snapshots   each captured table's initial snapshot, as the connector last published it; empty before any
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Overview(String pipeline, long generatedAtMs, long lagWindowMs, long chartSpanMs, long dlqRecords,
                       String dlqProblem, List<SinkOverview> sinks, List<CollectionOverview> collections,
                       List<String> warnings, List<SnapshotOverview> snapshots) {

    public Overview {
        warnings = List.copyOf(warnings);
        sinks = List.copyOf(sinks);
        collections = List.copyOf(collections);
        snapshots = List.copyOf(snapshots);
    }

    /** Without initial snapshots to show. */
    public Overview(String pipeline, long generatedAtMs, long lagWindowMs, long chartSpanMs, long dlqRecords,
                    String dlqProblem, List<SinkOverview> sinks, List<CollectionOverview> collections,
                    List<String> warnings) {
        this(pipeline, generatedAtMs, lagWindowMs, chartSpanMs, dlqRecords, dlqProblem, sinks, collections, warnings,
                List.of());
    }

    /**
     * One table's initial snapshot.
     *
     * @param rowsExpected  rows it is expected to read (an estimate for a large table), -1 while unknown; once
     *                      COMPLETED, the rows read
     * @param fraction      rows done over rows expected, 0 to 1; null while expected is unknown
     * @param rowsPerSecond rows read per second since its first row
     * @param etaMs         time left at that rate; 0 once completed, null while it cannot be told
     * @param ageMs         how old these figures are (the connector publishes them every
     *                      {@code source.backfill.progress.interval.ms} while rows come)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SnapshotOverview(String table, SnapshotProgress.State state, long rowsDone, long rowsExpected,
                                   Double fraction, double rowsPerSecond, Long etaMs, long startedAtMs,
                                   long ageMs) {

        static SnapshotOverview of(SnapshotProgress p, long nowMs) {
            double fraction = p.fraction();
            long eta = p.etaMs();
            return new SnapshotOverview(p.table(), p.state(), p.rowsDone(), p.rowsExpected(),
                    fraction < 0 ? null : fraction, p.ratePerSecond(), eta < 0 ? null : eta, p.startedAtMs(),
                    Math.max(0, nowMs - p.atMs()));
        }
    }

    /**
     * One sink's lag and throughput.
     *
     * @param latest           the newest lag sample, null before the first
     * @param history          end-to-end lag over the chart's span, oldest first; samples of unknown lag left out
     * @param appliedPerSecond records the sink applied per second at the newest sample, null before the first
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SinkOverview(SinkName sink, LagSnapshot latest, LagWindowStats window, List<Point> history,
                               Double appliedPerSecond) {
        public SinkOverview {
            history = List.copyOf(history);
        }
    }

    /** One point of a lag chart, written as {@code [at_ms, e2e_lag_ms]}. */
    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    @JsonPropertyOrder({"atMs", "e2eLagMs"})
    public record Point(long atMs, long e2eLagMs) {
    }

    /**
     * One collection. Only a migrating collection has a mode, epoch, legacy and target stores, backfill and gate
     * verdict; they are null until its status is known.
     *
     * @param sinks the stores the collection is written to at most (for a migrating one, legacy and target)
     * @param gate  what the cutover gate would answer now
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CollectionOverview(String collection, List<SinkName> sinks, boolean migrating, StorageMode mode,
                                     Long epoch, SinkName legacy, SinkName target, BackfillOverview backfill,
                                     GateVerdict gate) {
        public CollectionOverview {
            sinks = List.copyOf(sinks);
        }
    }

    /**
     * The collection's latest backfill.
     *
     * @param rowsTotal source rows when it started, -1 until counted
     * @param fraction  rows done over rows total, 0 to 1; null while the total is unknown
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record BackfillOverview(String id, SinkName sink, Backfill.State state, long rowsDone, long rowsTotal,
                                   Double fraction) {

        static BackfillOverview of(Backfill b) {
            Double fraction = null;
            if (b.rowsTotal() > 0) {
                fraction = Math.min(1.0, (double) b.rowsDone() / b.rowsTotal());
            } else if (b.rowsTotal() == 0) {
                fraction = 1.0;
            }
            return new BackfillOverview(b.id(), b.sink(), b.state(), b.rowsDone(), b.rowsTotal(), fraction);
        }
    }
}
