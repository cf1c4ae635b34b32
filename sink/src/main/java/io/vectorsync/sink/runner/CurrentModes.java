package io.vectorsync.sink.runner;

import io.vectorsync.core.mode.ModeStatus;

import java.util.Optional;

/**
 * The applied storage mode of each migrating collection as the sink process last read it from the status topic (in
 * a running service, a {@code ModeStatusFollower}). The sink asks it when it must decide whether a change it cannot
 * apply may be dropped, so the decision follows the mode in force then, not the one the change was routed under.
 * Implementations are thread-safe.
 */
@FunctionalInterface
public interface CurrentModes {
    /** Knows no collection: a change routed best effort is then never dropped, the safe side. */
    CurrentModes UNKNOWN = collection -> Optional.empty();

    /** The latest status of the collection; empty when none has been read (yet). */
    Optional<ModeStatus> status(String collection);
}
