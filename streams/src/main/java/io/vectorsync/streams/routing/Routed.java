package io.vectorsync.streams.routing;

import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode;
import io.vectorsync.core.model.StorageMode.Delivery;

import java.util.Objects;
import java.util.Optional;

/**
 * A change on its way to one sink's topic.
 *
 * @param delivery whether the sink must apply it or may give up on it after its retries
 * @param mode     the storage mode it was routed by; empty for a collection that does not migrate
 * @param epoch    the epoch of that mode (0 when it never changed, and for a collection that does not migrate)
 */
public record Routed(SinkName sink, Delivery delivery, Optional<StorageMode> mode, long epoch,
                     EnrichedChange change) {

    public Routed {
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(change, "change");
    }
}
