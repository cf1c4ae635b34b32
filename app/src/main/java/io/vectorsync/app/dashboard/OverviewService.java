package io.vectorsync.app.dashboard;

import io.vectorsync.app.dashboard.Overview.BackfillOverview;
import io.vectorsync.app.dashboard.Overview.CollectionOverview;
import io.vectorsync.app.dashboard.Overview.Point;
import io.vectorsync.app.dashboard.Overview.SinkOverview;
import io.vectorsync.app.dashboard.Overview.SnapshotOverview;
import io.vectorsync.app.metrics.DeadLetterCount;
import io.vectorsync.app.metrics.DeadLetters;
import io.vectorsync.app.metrics.GateVerdictCache;
import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.mode.GateVerdict;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.snapshot.SnapshotProgress;
import io.vectorsync.migration.lag.LagSnapshot;
import io.vectorsync.migration.lag.LagState;
import io.vectorsync.migration.lag.LagView;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** Builds the dashboard's {@link Overview} from the lag monitor, the applied modes, the gate and the DLQ. */
public final class OverviewService {
    private final String pipeline;
    private final List<CollectionMapping> collections;
    private final Set<SinkName> sinks;
    private final LagView lag;
    private final Duration lagWindow;
    private final Duration chartSpan;
    private final Supplier<Map<String, ModeStatus>> statuses;
    private final GateVerdictCache gate;
    private final DeadLetterCount deadLetters;
    private final LongSupplier clock;
    private final Supplier<List<String>> warnings;
    private final Supplier<List<SnapshotProgress>> snapshots;

    /**
     * @param collections every mapped collection, shown in this order
     * @param sinks       the stores the pipeline writes to, one lag chart line each
     * @param lagWindow   the window of the p50/p99 shown per sink
     * @param chartSpan   how much lag history the chart shows
     * @param warnings    what the operator must act on now (see {@link Overview#warnings()})
     * @param snapshots   each table's initial-snapshot progress as last published by the connector
     */
    public OverviewService(String pipeline, List<CollectionMapping> collections, Set<SinkName> sinks, LagView lag,
                           Duration lagWindow, Duration chartSpan, Supplier<Map<String, ModeStatus>> statuses,
                           GateVerdictCache gate, DeadLetterCount deadLetters, LongSupplier clock,
                           Supplier<List<String>> warnings, Supplier<List<SnapshotProgress>> snapshots) {
        this.pipeline = pipeline;
        this.collections = List.copyOf(collections);
        this.sinks = sinks.isEmpty() ? EnumSet.noneOf(SinkName.class) : EnumSet.copyOf(sinks);
        this.lag = lag;
        this.lagWindow = lagWindow;
        this.chartSpan = chartSpan;
        this.statuses = statuses;
        this.gate = gate;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.warnings = warnings;
        this.snapshots = snapshots;
    }

    public Overview build() {
        long now = clock.getAsLong();
        List<SinkOverview> sinkViews = new ArrayList<>();
        for (SinkName sink : sinks) {
            sinkViews.add(sink(sink, now));
        }
        Map<String, ModeStatus> modes = statuses.get();
        Map<String, GateVerdict> verdicts = modes.isEmpty() ? Map.of() : gate.verdicts();
        List<CollectionOverview> collectionViews = new ArrayList<>();
        for (CollectionMapping c : collections) {
            collectionViews.add(collection(c, modes.get(c.name()), verdicts.get(c.name())));
        }
        DeadLetters dlq = deadLetters.count();
        return new Overview(pipeline, now, lagWindow.toMillis(), chartSpan.toMillis(), dlq.records(), dlq.problem(),
                sinkViews, collectionViews, warnings.get(),
                snapshots.get().stream().map(p -> SnapshotOverview.of(p, now)).toList());
    }

    private SinkOverview sink(SinkName sink, long now) {
        LagSnapshot latest = lag.latest(sink).orElse(null);
        long from = now - chartSpan.toMillis();
        List<Point> history = lag.history(sink).stream()
                .filter(s -> s.atMs() >= from && s.e2eLagMs() >= 0 && s.state() != LagState.UNKNOWN)
                .map(s -> new Point(s.atMs(), s.e2eLagMs()))
                .toList();
        return new SinkOverview(sink, latest, lag.window(sink, lagWindow), history,
                latest == null ? null : latest.appliedPerSecond());
    }

    private static CollectionOverview collection(CollectionMapping c, ModeStatus status, GateVerdict verdict) {
        List<SinkName> stores = c.sinks().stream().sorted().toList();
        if (c.migration().isEmpty()) {
            return new CollectionOverview(c.name(), stores, false, null, null, null, null, null, null);
        }
        if (status == null) {
            return new CollectionOverview(c.name(), stores, true, null, null, c.migration().get().legacy(),
                    c.migration().get().target(), null, null);
        }
        return new CollectionOverview(c.name(), stores, true, status.mode(), status.epoch(), status.legacy(),
                status.target(), status.backfill() == null ? null : BackfillOverview.of(status.backfill()), verdict);
    }
}
