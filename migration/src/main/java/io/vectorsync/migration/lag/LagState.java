package io.vectorsync.migration.lag;

/** What a sink's end-to-end lag means at one sample. */
public enum LagState {
    /** Changes are waiting or being applied; the lag is the age of the oldest one not yet applied. */
    ACTIVE,
    /** Nothing is waiting anywhere between the source and the store, and the source's heartbeats are fresh. */
    IDLE,
    /** The source's heartbeats stopped: the lag grows with the age of the last heartbeat. */
    STALLED,
    /**
     * The connector has not sent its first heartbeat yet, nothing waits, and the lag monitor started less than
     * {@code lag.heartbeat.stale.ms} ago: a service coming up is not a stalled one. The lag is unknown (-1), which
     * a gate takes as failing; once the stale age has passed with still no heartbeat, the sink is {@link #STALLED}.
     */
    STARTING,
    /** Kafka or the source could not be asked; {@link LagSnapshot#problem()} says why. */
    UNKNOWN
}
