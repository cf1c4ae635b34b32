package io.vectorsync.core.mode;

import java.util.Optional;

/**
 * Whether a status read from the status topic may replace the one a reader holds for its collection. The mode
 * controller gives every mode change a new, higher epoch, and re-publishes a status under the same epoch only to
 * update what does not change the mode (backfill progress, the last request's answer). So a status with a lower
 * epoch, or with the same epoch but another mode or other stores, was not written by the controller in order: a
 * replayed old record or a forged one. Readers ignore it and keep what they hold.
 */
public final class StatusSuccession {
    private StatusSuccession() {
    }

    /** Why {@code next} must not replace {@code held}; empty when it may (or when nothing is held). */
    public static Optional<String> refusal(ModeStatus held, ModeStatus next) {
        if (held == null || next.epoch() > held.epoch()) {
            return Optional.empty();
        }
        if (next.epoch() < held.epoch()) {
            return Optional.of("its epoch " + next.epoch() + " is older than the epoch " + held.epoch()
                    + " already applied (" + held.mode() + ")");
        }
        if (next.mode() != held.mode() || next.legacy() != held.legacy() || next.target() != held.target()) {
            return Optional.of("it says " + next.mode() + " (legacy " + next.legacy() + ", target " + next.target()
                    + ") under the epoch " + next.epoch() + " already applied as " + held.mode() + " (legacy "
                    + held.legacy() + ", target " + held.target() + "); a mode change always takes a new epoch");
        }
        return Optional.empty();
    }
}
