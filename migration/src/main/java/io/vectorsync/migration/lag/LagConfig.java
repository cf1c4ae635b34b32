package io.vectorsync.migration.lag;

import io.vectorsync.core.config.ConfigKey;
import io.vectorsync.core.config.ConfigReader;

import java.time.Duration;
import java.util.List;

/**
 * How the lag monitor samples.
 *
 * @param sampleInterval time between the end of one sample and the start of the next
 * @param window         window of the p50/p99 end-to-end lag metrics
 * @param history        how long samples are kept per sink
 * @param heartbeatStale age of the connector's newest heartbeat from which an idle pipeline counts as stalled
 * @param timeout        bound of each call to Kafka and of each query to the source database
 */
public record LagConfig(Duration sampleInterval, Duration window, Duration history, Duration heartbeatStale,
                        Duration timeout) {

    public static final ConfigKey<Long> SAMPLE_INTERVAL_MS = ConfigKey.positiveLong("lag.sample.interval.ms", 1000,
            "Lag monitor: time between two samples of every sink's lag (end-to-end, consumer, slot), in"
                    + " milliseconds.");
    public static final ConfigKey<Long> WINDOW_MS = ConfigKey.positiveLong("lag.window.ms", 60_000,
            "Lag monitor: window of the p50 and p99 end-to-end lag metrics, in milliseconds; at most lag.history.ms.");
    public static final ConfigKey<Long> HISTORY_MS = ConfigKey.positiveLong("lag.history.ms", 600_000,
            "Lag monitor: how long the samples of each sink are kept for the dashboard and the cutover gate's"
                    + " window, in milliseconds.");
    public static final ConfigKey<Long> HEARTBEAT_STALE_MS = ConfigKey.positiveLong("lag.heartbeat.stale.ms", 30_000,
            "Lag monitor: when nothing waits to be applied, a sink is IDLE (lag 0) while the connector's newest"
                    + " heartbeat is younger than this, and STALLED (lag = the heartbeat's age) once it is that old;"
                    + " before the first heartbeat it is STARTING until this long after the monitor started;"
                    + " keep it a few times source.heartbeat.interval.ms. In milliseconds.");
    public static final ConfigKey<Long> TIMEOUT_MS = ConfigKey.positiveLong("lag.timeout.ms", 5000,
            "Lag monitor: bound of each call to Kafka and of each query to the source database, in milliseconds;"
                    + " a figure not read in time is reported unknown, with the reason.");
    public static final List<ConfigKey<?>> KEYS = List.of(SAMPLE_INTERVAL_MS, WINDOW_MS, HISTORY_MS,
            HEARTBEAT_STALE_MS, TIMEOUT_MS);

    public static LagConfig from(ConfigReader reader) {
        long window = reader.get(WINDOW_MS);
        long history = reader.get(HISTORY_MS);
        if (!reader.hasProblem(WINDOW_MS) && !reader.hasProblem(HISTORY_MS) && window > history) {
            reader.problem(WINDOW_MS.name(), Long.toString(window), "it must not exceed " + HISTORY_MS.name() + " ("
                    + history + "): the window's figures are computed from the samples kept");
        }
        return new LagConfig(Duration.ofMillis(reader.get(SAMPLE_INTERVAL_MS)), Duration.ofMillis(window),
                Duration.ofMillis(history), Duration.ofMillis(reader.get(HEARTBEAT_STALE_MS)),
                Duration.ofMillis(reader.get(TIMEOUT_MS)));
    }
}
