package io.vectorsync.sink.preflight;

import java.time.Duration;
import java.util.List;

/**
 * One group of checks against one server or component, run by {@link Preflight} beside the other groups. A group
 * turns the failures it expects (cannot connect, wrong password, missing table) into rows with a fix; whatever else
 * it throws, or a group that runs out of time, becomes one FAIL row for the whole group.
 */
public interface PreflightCheck {
    /**
     * A group makes several calls, each bounded by the call timeout; it is cut off after this many of them, so a
     * server that accepts a connection and then hangs still costs seconds.
     */
    int CALLS_PER_GROUP = 3;

    /** The group's name, the first part of each of its check names: {@code kafka}, {@code source}, … */
    String group();

    /** What the group talks to, for the row reporting that it broke or ran out of time, e.g. "Kafka at host:9092". */
    String target();

    /** How long the whole group may take before {@link Preflight} reports it as not answering. */
    Duration timeout();

    /** The rows, in the order they should be shown. Every call to a server is bounded by a timeout. */
    List<CheckResult> run() throws Exception;
}
