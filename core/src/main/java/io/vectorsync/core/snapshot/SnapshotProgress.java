package io.vectorsync.core.snapshot;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.Locale;

/**
 * The connector's progress on the initial snapshot of one table (Debezium's first read of every row, before
 * streaming), written to {@code Topics.snapshotProgress()} keyed by table, so the dashboard, {@code vectorsync
 * status} and the metrics show it wherever the connector runs. A backfill's progress is {@code BackfillProgress}.
 *
 * @param table        the source table, {@code schema.table}
 * @param state        RUNNING while rows come, COMPLETED after the table's last snapshot row was published
 * @param rowsDone     snapshot rows of the table published to Kafka so far
 * @param rowsExpected rows the table was expected to hold (see {@code RowEstimate}); once COMPLETED, the rows
 *                     actually read; -1 while unknown
 * @param startedAtMs  when its first snapshot row was published
 * @param atMs         when these figures were taken
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SnapshotProgress(String table, State state, long rowsDone, long rowsExpected, long startedAtMs,
                               long atMs) {

    public enum State { RUNNING, COMPLETED }

    /** Rows per second since the first row; 0 before a measurable time has passed. */
    @JsonIgnore
    public double ratePerSecond() {
        long elapsed = atMs - startedAtMs;
        return elapsed <= 0 ? 0 : rowsDone * 1000.0 / elapsed;
    }

    /** Done as a fraction of expected, at most 1; -1 while the expected rows are unknown. */
    @JsonIgnore
    public double fraction() {
        if (state == State.COMPLETED) {
            return 1;
        }
        return rowsExpected <= 0 ? -1 : Math.min(1.0, (double) rowsDone / rowsExpected);
    }

    /**
     * Milliseconds left at the rate so far: 0 once COMPLETED (or when done reached the estimate), -1 while the rate
     * or the expected rows are unknown.
     */
    @JsonIgnore
    public long etaMs() {
        if (state == State.COMPLETED) {
            return 0;
        }
        double rate = ratePerSecond();
        if (rowsExpected < 0 || rate <= 0) {
            return -1;
        }
        return Math.max(0, Math.round((rowsExpected - rowsDone) * 1000.0 / rate));
    }

    /** One line for the log and the terminal: "public.items: 2000 of ~5000 rows (40%), ETA 3.0 s, 1000.0 rows/s". */
    public String describe() {
        StringBuilder s = new StringBuilder(table).append(": ").append(rowsDone);
        if (state == State.COMPLETED) {
            s.append(" rows, completed in ").append(seconds(atMs - startedAtMs));
        } else {
            s.append(" of ").append(rowsExpected < 0 ? "?" : "~" + rowsExpected).append(" rows");
            double fraction = fraction();
            if (fraction >= 0) {
                s.append(String.format(Locale.ROOT, " (%.0f%%)", fraction * 100));
            }
            long eta = etaMs();
            s.append(", ETA ").append(eta < 0 ? "unknown" : seconds(eta));
        }
        return s.append(String.format(Locale.ROOT, ", %.1f rows/s", ratePerSecond())).toString();
    }

    private static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
