package io.vectorsync.core.mode;

import io.vectorsync.core.model.StorageMode;
import io.vectorsync.core.model.StorageMode.StoreRole;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static io.vectorsync.core.model.StorageMode.CUTOVER;
import static io.vectorsync.core.model.StorageMode.DUAL_WRITE;
import static io.vectorsync.core.model.StorageMode.SHADOW;
import static io.vectorsync.core.model.StorageMode.SOURCE_ONLY;
import static io.vectorsync.core.model.StorageMode.TARGET_ONLY;

/**
 * The storage-mode state machine, in one place. Forward moves are listed; a rollback is any move to an earlier mode,
 * except that {@code TARGET_ONLY} rolls back to {@code CUTOVER} only: the legacy store missed every change while it
 * was retired, and {@code CUTOVER} backfills it while the target keeps serving reads.
 */
public final class ModeTransitions {
    private static final Map<StorageMode, Set<StorageMode>> FORWARD = new EnumMap<>(Map.of(
            SOURCE_ONLY, EnumSet.of(DUAL_WRITE),
            DUAL_WRITE, EnumSet.of(SHADOW, CUTOVER),
            SHADOW, EnumSet.of(CUTOVER),
            CUTOVER, EnumSet.of(TARGET_ONLY),
            TARGET_ONLY, EnumSet.noneOf(StorageMode.class)));

    private ModeTransitions() {
    }

    /** Every mode reachable from {@code from} in one move. */
    public static Set<StorageMode> allowed(StorageMode from) {
        Set<StorageMode> out = EnumSet.noneOf(StorageMode.class);
        for (StorageMode to : StorageMode.values()) {
            if (refusal(from, to).isEmpty()) {
                out.add(to);
            }
        }
        return out;
    }

    /** Why the move is not allowed, or empty when it is. */
    public static Optional<String> refusal(StorageMode from, StorageMode to) {
        if (from == to) {
            return Optional.of("already in " + to);
        }
        if (isRollback(from, to)) {
            if (from == TARGET_ONLY && to != CUTOVER) {
                return Optional.of("illegal transition " + from + " -> " + to + ": roll back to CUTOVER first;"
                        + " the legacy store missed every change since it was retired, and CUTOVER backfills it"
                        + " while the target keeps serving reads");
            }
            return Optional.empty();
        }
        if (FORWARD.get(from).contains(to)) {
            return Optional.empty();
        }
        String next = FORWARD.get(from).stream().map(Enum::name).collect(Collectors.joining(" or "));
        return Optional.of("illegal transition " + from + " -> " + to + ": from " + from + " the next mode is "
                + (next.isEmpty() ? "none (roll back to CUTOVER instead)" : next));
    }

    /** A move to an earlier mode. */
    public static boolean isRollback(StorageMode from, StorageMode to) {
        return to.ordinal() < from.ordinal();
    }

    /**
     * Whether the cutover gate must be open: a forward move into {@code CUTOVER}. A rollback asks the legacy gate
     * instead, and only when {@link #refilledLegacyTakesReads} says so.
     */
    public static boolean gated(StorageMode from, StorageMode to) {
        return to == CUTOVER && !isRollback(from, to);
    }

    /**
     * Whether the move is a rollback that hands reads back to a legacy store refilled after {@code TARGET_ONLY}: its
     * backfill replays every row but cannot remove rows deleted while it was retired, so it must be proven caught up
     * and equal to the source first (the legacy gate, {@link CutoverGate#checkLegacy}). A rollback from a mode that
     * kept the legacy store written is never gated: it holds everything.
     */
    public static boolean refilledLegacyTakesReads(ModeStatus status, StorageMode to) {
        return isRollback(status.mode(), to) && status.mode().reads() == StoreRole.TARGET
                && to.reads() == StoreRole.LEGACY && status.backfill() != null
                && status.backfill().store() == StoreRole.LEGACY;
    }

    /** The store that starts receiving writes with this move and so must be backfilled, if any. */
    public static Optional<StoreRole> backfills(StorageMode from, StorageMode to) {
        for (StoreRole role : StoreRole.values()) {
            if (!from.writes(role) && to.writes(role)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
