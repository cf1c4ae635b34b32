package io.vectorsync.app.preflight;

import io.vectorsync.sink.preflight.CheckResult.Status;
import io.vectorsync.sink.preflight.CheckResult;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Every row of one preflight run, in group order. */
public record PreflightReport(List<CheckResult> results) {
    /** Exit code when nothing failed. */
    public static final int PASSED = 0;
    /** Exit code when some check failed. */
    public static final int FAILED = 1;

    public PreflightReport {
        results = List.copyOf(results);
    }

    /** True when no row is a {@link Status#FAIL}; warnings do not stop a start. */
    public boolean passed() {
        return results.stream().noneMatch(r -> r.status() == Status.FAIL);
    }

    public int exitCode() {
        return passed() ? PASSED : FAILED;
    }

    /** How many rows have each status, every status present (zero when none). */
    public Map<Status, Integer> counts() {
        Map<Status, Integer> counts = new EnumMap<>(Status.class);
        for (Status s : Status.values()) {
            counts.put(s, 0);
        }
        results.forEach(r -> counts.merge(r.status(), 1, Integer::sum));
        return counts;
    }

    /** "20 OK, 5 WARN, 1 FAIL". */
    public String summary() {
        Map<Status, Integer> counts = counts();
        return counts.get(Status.OK) + " OK, " + counts.get(Status.WARN) + " WARN, " + counts.get(Status.FAIL)
                + " FAIL";
    }
}
