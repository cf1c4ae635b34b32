package io.vectorsync.migration.lag;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.vectorsync.core.model.SinkName;

/**
 * One sample of one sink's lag.
 *
 * @param atMs               epoch milliseconds of the sample
 * @param e2eLagMs           source commit to applied: the age of the oldest change the sink has not applied yet,
 *                           0 when idle; -1 when unknown
 * @param consumerLagRecords records on the sink's topic its consumer group has not committed; -1 when unknown
 * @param slotLagBytes       WAL bytes the source's replication slot is behind the server's current WAL position;
 *                           -1 when unknown
 * @param appliedPerSecond   records the sink committed per second since the previous sample
 * @param problem            why a figure is unknown, or null
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LagSnapshot(SinkName sink, long atMs, LagState state, long e2eLagMs, long consumerLagRecords,
                          long slotLagBytes, double appliedPerSecond, String problem) {
}
