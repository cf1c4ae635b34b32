package io.vectorsync.core.mode;

import java.util.List;

/**
 * Decides whether a store may take over a collection's reads: the target on a forward move into {@code CUTOVER}, or
 * the legacy store on a rollback that moves reads back to it after it was refilled (it was retired in
 * {@code TARGET_ONLY}, see {@link ModeTransitions#refilledLegacyTakesReads}).
 */
@FunctionalInterface
public interface CutoverGate {

    /** Whether the target may serve reads. */
    GateVerdict check(ModeStatus status);

    /**
     * Whether the refilled legacy store may serve reads again. A gate that does not tell stores apart answers as for
     * the target.
     */
    default GateVerdict checkLegacy(ModeStatus status) {
        return check(status);
    }

    /** A gate that is always open: for pipelines that configure none, and for tests. */
    static CutoverGate open() {
        return status -> GateVerdict.of(List.of());
    }
}
