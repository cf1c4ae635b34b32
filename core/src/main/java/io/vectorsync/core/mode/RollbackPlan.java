package io.vectorsync.core.mode;

import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode;
import io.vectorsync.core.model.StorageMode.StoreRole;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code vectorsync rollback} does for one collection: the earlier mode to return to and the steps on the way.
 * Without a chosen mode it goes one step back towards the legacy store: {@code DUAL_WRITE → SOURCE_ONLY}, {@code
 * SHADOW → DUAL_WRITE}, {@code CUTOVER → DUAL_WRITE} (reads back on the legacy store, the target still written), and
 * from {@code TARGET_ONLY} through {@code CUTOVER} to {@code DUAL_WRITE}. When reads go back to a legacy store that
 * was retired ({@link ModeTransitions#refilledLegacyTakesReads}), it is refilled first: its backfill, then an orphan
 * pass (a validation with repair, which deletes the rows removed while it was retired), then a validation the
 * rollback gate reads.
 */
public record RollbackPlan(String collection, StorageMode from, StorageMode to, List<Step> steps) {

    public RollbackPlan {
        steps = List.copyOf(steps);
    }

    /** One step, in order. */
    public sealed interface Step {
        /** One line saying what the step does. */
        String describe();
    }

    /** A mode request, gated or not as the state machine says. */
    public record Request(StorageMode mode, String why) implements Step {
        @Override
        public String describe() {
            return "request " + mode + ": " + why;
        }
    }

    /** Wait until the legacy store's backfill has completed. */
    public record AwaitBackfill(SinkName store) implements Step {
        @Override
        public String describe() {
            return "wait until the backfill of the legacy store " + store + " has COMPLETED";
        }
    }

    /** A full validation of one store; with repair, its orphans are deleted and differing rows re-driven. */
    public record Validate(SinkName store, boolean repair) implements Step {
        @Override
        public String describe() {
            return repair ? "orphan pass: validate " + store + " with --repair (deletes the documents of rows removed"
                    + " while it was retired, re-drives any row that differs)"
                    : "validate " + store + " again; the result is published for the rollback gate";
        }
    }

    /**
     * @param to the mode to return to; empty chooses one step back towards the legacy store
     * @return the plan, or why there is none
     */
    public static Plan of(ModeStatus status, Optional<StorageMode> to) {
        StorageMode from = status.mode();
        StorageMode goal = to.orElseGet(() -> defaultTarget(from));
        if (goal == null) {
            return Plan.refused(status.collection() + " is in " + from + ": there is nothing to roll back");
        }
        if (!ModeTransitions.isRollback(from, goal)) {
            return Plan.refused(goal + " is not earlier than " + from + "; a rollback goes to an earlier mode");
        }
        List<Step> steps = new ArrayList<>();
        ModeStatus at = status;
        if (from == StorageMode.TARGET_ONLY) {
            steps.add(new Request(StorageMode.CUTOVER, "write both stores again; the legacy store "
                    + status.legacy() + " is backfilled while the target " + status.target() + " keeps serving reads"));
            if (goal == StorageMode.CUTOVER) {
                return Plan.of(new RollbackPlan(status.collection(), from, goal, steps));
            }
            // What the CUTOVER request will leave: a running backfill of the legacy store.
            at = at.withBackfill(Backfill.started("pending", StoreRole.LEGACY, status.legacy(), 0));
            at = new ModeStatus(at.collection(), StorageMode.CUTOVER, at.epoch(), at.legacy(), at.target(),
                    at.updatedAtMs(), at.requestedBy(), at.reason(), at.forced(), at.backfill(), at.lastRequest());
        }
        if (ModeTransitions.refilledLegacyTakesReads(at, goal)) {
            steps.add(new AwaitBackfill(status.legacy()));
            steps.add(new Validate(status.legacy(), true));
            steps.add(new Validate(status.legacy(), false));
            steps.add(new Request(goal, "reads back on " + status.legacy() + "; gated until it is caught up and"
                    + " validated"));
        } else {
            steps.add(new Request(goal, "reads " + (goal.reads() == StoreRole.LEGACY ? "on the legacy store "
                    + status.legacy() : "on the target " + status.target()) + "; the legacy store was written"
                    + " throughout, so nothing is refilled"));
        }
        return Plan.of(new RollbackPlan(status.collection(), from, goal, steps));
    }

    private static StorageMode defaultTarget(StorageMode from) {
        return switch (from) {
            case SOURCE_ONLY -> null;
            case DUAL_WRITE -> StorageMode.SOURCE_ONLY;
            case SHADOW, CUTOVER, TARGET_ONLY -> StorageMode.DUAL_WRITE;
        };
    }

    /** A plan, or the reason there is none. */
    public record Plan(Optional<RollbackPlan> plan, Optional<String> refusal) {
        static Plan of(RollbackPlan p) {
            return new Plan(Optional.of(p), Optional.empty());
        }

        static Plan refused(String why) {
            return new Plan(Optional.empty(), Optional.of(why));
        }
    }
}
