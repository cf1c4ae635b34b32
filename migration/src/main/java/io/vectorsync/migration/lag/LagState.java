package io.vectorsync.migration.lag;

/** What a sink's end-to-end lag means at one sample. */
public enum LagState {
    /** Changes are waiting or being applied; the lag is the age of the oldest one not yet applied. */
    ACTIVE,
    /** Nothing is waiting anywhere between the source and the store, and the source's heartbeats are fresh. */
    IDLE,
    /** The source's heartbeats stopped: the lag grows with the age of the last heartbeat. */
    STALLED,
    /** Kafka or the source could not be asked; {@link LagSnapshot#problem()} says why. */
    UNKNOWN
}
