package io.vectorsync.drill;

import java.time.Duration;

/**
 * One planned fault.
 *
 * @param number 1-based position in the plan
 * @param kind   what is done
 * @param target the process (kill, stop) or store (cut, hang, sink-join, poison-sink) it is done to; empty otherwise
 * @param gap    quiet time (writer still writing) before the fault
 * @param hold   how long the fault lasts before it is undone: the pause before a restart, the outage
 */
public record Fault(int number, FaultKind kind, String target, Duration gap, Duration hold) {

    /** One line for the log, enough to see what a replay will do. */
    public String describe() {
        String what = switch (kind) {
            case KILL -> "kill -9 " + target + ", restart after " + seconds(hold);
            case STOP -> "graceful stop of " + target + ", restart after " + seconds(hold);
            case BROKER_RESTART -> "Kafka broker stopped for " + seconds(hold);
            case SOURCE_RESTART -> "source PostgreSQL stopped for " + seconds(hold);
            case STORE_CUT -> target + " cut for " + seconds(hold);
            case STORE_HANG -> target + " hung for " + seconds(hold);
            case SINK_JOIN -> "sink-3 joins while " + target + " is cut for " + seconds(hold);
            case ROW_2MB -> "a 2 MB row";
            case ROW_20MB -> "a 20 MB row";
            case INVALID_TEXT -> "a row with text too long for milvus";
            case POISON_CDC -> "a poison record on a CDC topic";
            case POISON_SINK -> "a poison record on the " + target + " sink topic";
        };
        return "fault " + number + " after " + seconds(gap) + ": " + what;
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
