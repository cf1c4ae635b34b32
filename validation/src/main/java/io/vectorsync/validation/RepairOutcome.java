package io.vectorsync.validation;

import java.util.List;

/**
 * How a repair of one collection ended.
 *
 * @param total      differing documents it set out to repair
 * @param repaired   of those, how many match the source in every store now
 * @param unrepaired the ids that still differ, sorted
 */
public record RepairOutcome(String collection, long total, long repaired, List<String> unrepaired) {

    public RepairOutcome {
        unrepaired = List.copyOf(unrepaired);
    }

    public boolean complete() {
        return repaired == total;
    }
}
