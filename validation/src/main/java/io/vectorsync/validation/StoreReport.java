package io.vectorsync.validation;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.validation.ValidationResult;

import java.util.List;

/**
 * One store of one collection in the report: the counts, and the exact document ids of every difference, sorted.
 *
 * @param matchRate matched over checked plus orphaned, as the cutover gate reads it
 *                  ({@link ValidationResult#matchRate})
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"store", "checked", "matched", "match_rate", "missing", "orphaned", "stale", "drifted",
        "missing_keys", "orphaned_keys", "stale_keys", "drifted_keys"})
public record StoreReport(SinkName store, long checked, long matched, double matchRate, long missing, long orphaned,
                          long stale, long drifted, List<String> missingKeys, List<String> orphanedKeys,
                          List<String> staleKeys, List<String> driftedKeys) {

    public StoreReport {
        missingKeys = List.copyOf(missingKeys);
        orphanedKeys = List.copyOf(orphanedKeys);
        staleKeys = List.copyOf(staleKeys);
        driftedKeys = List.copyOf(driftedKeys);
    }

    public static StoreReport of(SinkName store, StoreTally tally) {
        ValidationResult counts = new ValidationResult("-", "-", store, true, tally.checked(), tally.matched(),
                tally.count(DifferenceKind.MISSING), tally.count(DifferenceKind.ORPHANED),
                tally.count(DifferenceKind.STALE), tally.count(DifferenceKind.DRIFTED), 0);
        return new StoreReport(store, counts.checked(), counts.matched(), counts.matchRate(), counts.missing(),
                counts.orphaned(), counts.stale(), counts.drifted(), tally.ids(DifferenceKind.MISSING),
                tally.ids(DifferenceKind.ORPHANED), tally.ids(DifferenceKind.STALE), tally.ids(DifferenceKind.DRIFTED));
    }

    public List<String> keys(DifferenceKind kind) {
        return switch (kind) {
            case MISSING -> missingKeys;
            case ORPHANED -> orphanedKeys;
            case STALE -> staleKeys;
            case DRIFTED -> driftedKeys;
        };
    }

    public boolean clean() {
        return missing == 0 && orphaned == 0 && stale == 0 && drifted == 0;
    }

    /** What the cutover gate gets for this store. */
    public ValidationResult result(String runId, String collection, boolean full, long finishedAtMs) {
        return new ValidationResult(runId, collection, store, full, checked, matched, missing, orphaned, stale, drifted,
                finishedAtMs);
    }
}
