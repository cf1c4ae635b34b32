package io.vectorsync.migration.mode;

import io.vectorsync.core.mode.CutoverGate;
import io.vectorsync.core.mode.GateVerdict.Condition;
import io.vectorsync.core.mode.GateVerdict;
import io.vectorsync.core.mode.ModeStatus;

import java.util.ArrayList;
import java.util.List;

/** A cutover gate the test opens, closes or breaks, remembering every status it was asked about. */
final class FakeGate implements CutoverGate {
    static final Condition LAG_OK = new Condition("target consumer lag", true, "3 records", "100 records");
    static final Condition E2E_SLOW = new Condition("end-to-end lag", false, "12.5 s over 60 s", "2 s");
    static final Condition MATCH_LOW = new Condition("validation match rate", false, "97.0%", "99.9%");

    final List<ModeStatus> asked = new ArrayList<>();
    private GateVerdict verdict = GateVerdict.of(List.of(LAG_OK));
    private RuntimeException failure;

    @Override
    public GateVerdict check(ModeStatus status) {
        asked.add(status);
        if (failure != null) {
            throw failure;
        }
        return verdict;
    }

    void open() {
        verdict = GateVerdict.of(List.of(LAG_OK));
    }

    void close() {
        verdict = GateVerdict.of(List.of(E2E_SLOW, LAG_OK, MATCH_LOW));
    }

    void fail(RuntimeException e) {
        failure = e;
    }
}
