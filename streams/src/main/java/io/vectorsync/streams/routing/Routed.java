package io.vectorsync.streams.routing;

import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.core.model.SinkName;

/** A change on its way to one sink's topic. */
public record Routed(SinkName sink, EnrichedChange change) {
}
