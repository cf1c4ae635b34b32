package io.vectorsync.drill;

import java.util.List;

/**
 * What a drill found.
 *
 * @param compared (document, store) pairs the audit compared with the source
 * @param findings each difference and unexplained dead letter (a few per kind), for the report
 * @param exits    processes that ended without being asked to (the fleet restarted them)
 */
public record DrillResult(int faults, long compared, long lost, long doubled, long stale, long dlq,
                          long unexplained, List<String> findings, List<String> exits) {

    public DrillResult {
        findings = List.copyOf(findings);
        exits = List.copyOf(exits);
    }

    /** The one line a drill prints: {@code faults=N lost=L doubled=D stale=S dlq=K (all explained)}. */
    public String line() {
        return "faults=" + faults + " lost=" + lost + " doubled=" + doubled + " stale=" + stale + " dlq=" + dlq
                + (unexplained == 0 ? " (all explained)" : " (" + unexplained + " unexplained)");
    }

    public boolean clean() {
        return lost == 0 && doubled == 0 && stale == 0 && unexplained == 0;
    }
}
