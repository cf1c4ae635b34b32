package io.vectorsync.validation;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * What {@code vectorsync validate} found, per collection and store.
 *
 * @param sampleSize rows sampled per collection, 0 for a full scan
 * @param driftMax   the cosine distance beyond which a vector counts as drifted
 * @param startedAt  ISO-8601 instant
 * @param finishedAt ISO-8601 instant
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"run_id", "full", "sample_size", "drift_max", "recheck_delay_ms", "started_at", "finished_at",
        "clean", "collections"})
public record ValidationReport(String runId, boolean full, int sampleSize, double driftMax, long recheckDelayMs,
                               String startedAt, String finishedAt, boolean clean, List<CollectionReport> collections) {

    public ValidationReport {
        collections = List.copyOf(collections);
    }
}
