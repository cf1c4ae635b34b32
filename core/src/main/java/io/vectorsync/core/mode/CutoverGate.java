package io.vectorsync.core.mode;

import java.util.List;

/** Decides whether a collection may move forward into {@code CUTOVER}. */
@FunctionalInterface
public interface CutoverGate {

    GateVerdict check(ModeStatus status);

    /** A gate that is always open: for pipelines that configure none, and for tests. */
    static CutoverGate open() {
        return status -> GateVerdict.of(List.of());
    }
}
