package io.vectorsync.migration.lag;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * End-to-end lag of one sink over a sliding window, from the samples whose lag was known.
 *
 * @param samples   samples with a known lag in the window
 * @param coveredMs time from the oldest such sample to the newest; a window is only sustained once this nears it
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LagWindowStats(long windowMs, int samples, long coveredMs, long p50Ms, long p99Ms, long maxMs) {

    public static LagWindowStats empty(long windowMs) {
        return new LagWindowStats(windowMs, 0, 0, -1, -1, -1);
    }
}
