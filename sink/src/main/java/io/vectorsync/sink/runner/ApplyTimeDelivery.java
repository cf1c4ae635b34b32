package io.vectorsync.sink.runner;

import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode.Delivery;
import io.vectorsync.core.model.StorageMode.StoreRole;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Decides, when a store stayed unavailable through every attempt, whether a change may be dropped: from the mode in
 * force for its collection now, not from the one it was routed under. A change routed best effort under
 * {@code SHADOW} must land once a {@code CUTOVER} made its store serve reads. Only a status that is known and at
 * least as new as the one the change was routed under may turn a change into a droppable one; anything else keeps it
 * required, the safe side. Pure: the modes come from {@link CurrentModes}.
 */
final class ApplyTimeDelivery {
    private final SinkName sink;
    private final CurrentModes modes;

    ApplyTimeDelivery(SinkName sink, CurrentModes modes) {
        this.sink = sink;
        this.modes = modes;
    }

    /** How the change must be delivered now. */
    Delivery of(SinkBatch.Entry entry) {
        if (entry.delivery() == Delivery.REQUIRED) {
            // Routed as a change that must land: it stays so, even if a rollback has since made the store optional.
            return Delivery.REQUIRED;
        }
        Optional<ModeStatus> current = modes.status(entry.change().collection());
        if (current.isEmpty()) {
            return Delivery.REQUIRED; // no status read (yet): never drop on a guess
        }
        ModeStatus status = current.get();
        OptionalLong routedUnder = routedEpoch(entry);
        if (routedUnder.isEmpty() || status.epoch() < routedUnder.getAsLong()) {
            return Delivery.REQUIRED; // routed under a status this process has not read yet
        }
        Optional<StoreRole> role = roleOf(status);
        if (role.isEmpty()) {
            return Delivery.REQUIRED; // the status names other stores: it says nothing about this one
        }
        // A mode that no longer writes the store (a rollback to SOURCE_ONLY) leaves the change as optional as it was.
        return status.mode().delivery(role.get()).orElse(Delivery.BEST_EFFORT);
    }

    private Optional<StoreRole> roleOf(ModeStatus status) {
        if (status.target() == sink) {
            return Optional.of(StoreRole.TARGET);
        }
        return status.legacy() == sink ? Optional.of(StoreRole.LEGACY) : Optional.empty();
    }

    private static OptionalLong routedEpoch(SinkBatch.Entry entry) {
        Header h = entry.origin().headers().lastHeader(ModeStatus.EPOCH_HEADER);
        if (h == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(new String(h.value(), StandardCharsets.UTF_8).trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
