package io.vectorsync.validation;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.Map;

/**
 * Where an unfinished validation of one collection stands, written after every page so the same command can resume
 * it after an interruption.
 *
 * @param scope        what the run compares; a run with another scope does not resume this one
 * @param cursor       full scan: the key of the last source row compared, null before the first page
 * @param sampleKeys   sample: the keys picked at the start, compared in this order
 * @param rowsDone     source rows compared so far (for a sample, also the position in {@code sampleKeys})
 * @param orphanStore  orphan pass: the store being paged through
 * @param orphanCursor orphan pass: the last id of {@code orphanStore} looked at, null before its first page
 * @param tallies      per store id, what was found so far
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Checkpoint(String runId, String collection, Scope scope, Phase phase, List<String> cursor,
                         List<List<String>> sampleKeys, long rowsTotal, long rowsDone, long pages, String orphanStore,
                         String orphanCursor, Map<String, StoreTally.State> tallies, long startedAtMs) {

    public Checkpoint {
        tallies = tallies == null ? Map.of() : tallies;
    }

    /** Where a run is; phases run in this order. */
    public enum Phase { SCAN, ORPHANS, RECHECK }

    /**
     * What a run compares: a full scan (with orphans) or a sample of {@code sample} rows, in these stores (ids, in
     * order).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Scope(boolean full, int sample, List<String> stores) {
        public Scope {
            stores = List.copyOf(stores);
        }

        public String describe() {
            return (full ? "full scan" : "sample of " + sample + " rows") + " of " + String.join(", ", stores);
        }
    }

    /** The key, or the sample position, at which a resumed run goes on: for the "resuming ... from key" notice. */
    public String position() {
        return switch (phase) {
            case SCAN -> scope.full()
                    ? (cursor == null ? "the start" : "key " + String.join("|", cursor))
                    : "sampled row " + (rowsDone + 1) + " of " + (sampleKeys == null ? 0 : sampleKeys.size());
            case ORPHANS -> "store id " + (orphanCursor == null ? "(start)" : orphanCursor) + " of " + orphanStore
                    + " (orphan pass)";
            case RECHECK -> "the re-check of the differences";
        };
    }
}
