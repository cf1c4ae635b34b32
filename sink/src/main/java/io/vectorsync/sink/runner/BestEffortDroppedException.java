package io.vectorsync.sink.runner;

import io.vectorsync.core.model.SinkName;

/**
 * Why a best-effort change was dead-lettered instead of applied: its store stayed unavailable through every attempt.
 * Its message travels in the dead letter's headers, so a later repair or backfill can tell these from rejections.
 */
public final class BestEffortDroppedException extends Exception {
    private static final long serialVersionUID = 1L;

    BestEffortDroppedException(SinkName sink, int attempts, String lastError) {
        super(sink + " sink: best-effort change dropped: the store was unavailable after " + attempts + " attempts ("
                + lastError + ")");
    }
}
