package io.vectorsync.migration.lag;

import io.vectorsync.core.model.SinkName;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What the lag monitor has measured, for the cutover gate, the dashboard and the metrics. Thread-safe. */
public interface LagView {

    /** The newest sample of {@code sink}, or empty before the first one. */
    Optional<LagSnapshot> latest(SinkName sink);

    /** The samples kept for {@code sink} (the history the dashboard charts), oldest first. */
    List<LagSnapshot> history(SinkName sink);

    /** p50/p99/max end-to-end lag of {@code sink} over the last {@code window}. */
    LagWindowStats window(SinkName sink, Duration window);
}
