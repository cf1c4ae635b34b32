package io.vectorsync.validation;

import io.vectorsync.core.mode.Backfill;
import io.vectorsync.core.mode.ModeStatus;

import java.util.Locale;
import java.util.Optional;

/** Whether {@code --repair} may re-drive a collection now. */
public final class RepairGuard {
    private RepairGuard() {
    }

    /**
     * Why a repair of the collection must wait, or empty when it may go ahead. A running backfill already re-reads
     * every row into the store being filled, and that store is short of rows until it completes: repairing then
     * would chase differences the backfill is about to remove.
     *
     * @param status the collection's applied storage mode, empty when it does not migrate
     */
    public static Optional<String> refusal(String collection, Optional<ModeStatus> status) {
        return status.map(ModeStatus::backfill).filter(Backfill::running).map(b -> "--repair refused for collection '"
                + collection + "': a backfill of its " + b.store().name().toLowerCase(Locale.ROOT)
                + " store " + b.sink().id() + " is RUNNING (" + b.describe() + "); it re-reads every row itself."
                + " Validate again once it has COMPLETED (vectorsync mode status).");
    }
}
