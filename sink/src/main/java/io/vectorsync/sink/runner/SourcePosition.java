package io.vectorsync.sink.runner;

import java.util.OptionalLong;

/** The source's current WAL write position, as the number Debezium gives as {@code source.lsn}. */
@FunctionalInterface
public interface SourcePosition {
    /** No source to ask: every LSN is taken as it comes. */
    SourcePosition NONE = OptionalLong::empty;

    /** The position now, or empty when the source cannot be asked. */
    OptionalLong currentLsn();
}
