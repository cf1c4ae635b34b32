package io.vectorsync.core.validation;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.vectorsync.core.model.SinkName;

import java.util.Objects;

/**
 * The outcome of one finished validation of one collection in one store, published on
 * {@code Topics.validation()} under {@link #key()} for the cutover gate and the dashboard. The differing keys
 * themselves are in the validator's report, not here.
 *
 * @param full       true for a full scan, false for a sample
 * @param checked    source rows compared with the store
 * @param matched    source rows the store holds exactly (present, same content hash, vector within drift)
 * @param missing    source rows the store lacks
 * @param orphaned   store documents without a source row (counted on full scans only)
 * @param stale      documents whose content hash differs from the source row's
 * @param drifted    documents whose vector is further than the drift limit from the source text's embedding
 * @param finishedAtMs epoch milliseconds when the run finished
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ValidationResult(String runId, String collection, SinkName store, boolean full, long checked,
                               long matched, long missing, long orphaned, long stale, long drifted,
                               long finishedAtMs) {

    public ValidationResult {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(store, "store");
    }

    /** Matched over compared, counting orphans as mismatches; 1.0 for an empty source and store. */
    public double matchRate() {
        long denominator = checked + orphaned;
        return denominator == 0 ? 1.0 : (double) matched / denominator;
    }

    public boolean clean() {
        return missing == 0 && orphaned == 0 && stale == 0 && drifted == 0;
    }

    /** Key on the validation topic: one latest result per collection and store. */
    public String key() {
        return key(collection, store);
    }

    public static String key(String collection, SinkName store) {
        return collection + "/" + store.id();
    }
}
