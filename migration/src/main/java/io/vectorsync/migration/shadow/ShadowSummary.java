package io.vectorsync.migration.shadow;

import java.time.Duration;

/**
 * The recent shadow comparisons of one collection, for the cutover gate and the dashboard. Latency percentiles are
 * nearest-rank over the comparisons kept.
 *
 * @param count          comparisons kept (the last {@code shadow.window} at most); 0 when none, and then every other
 *                       field is 0
 * @param meanScoreDrift mean of {@link ShadowComparison#meanScoreDrift()} over the comparisons whose answers shared
 *                       at least one id; 0 when none did
 * @param lastAtMs       when the newest comparison was made, epoch milliseconds
 */
public record ShadowSummary(String collection, int count, double meanOverlap, double meanRecall,
                            double meanScoreDrift, Duration legacyP50, Duration legacyP99, Duration targetP50,
                            Duration targetP99, long lastAtMs) {

    static ShadowSummary empty(String collection) {
        return new ShadowSummary(collection, 0, 0, 0, 0, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO,
                0);
    }
}
