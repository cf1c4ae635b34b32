package io.vectorsync.app.preflight;

import java.time.Duration;
import java.util.List;

/** A check of one store: the collections it will hold, the dimension their vectors must have, its call bound. */
abstract class StoreCheck implements PreflightCheck {
    final List<String> collections;
    final int dimension;
    /** Bound of each call to the store; the group as a whole gets {@link Preflight#CALLS_PER_GROUP} of them. */
    final Duration timeout;

    StoreCheck(List<String> collections, int dimension, Duration timeout) {
        this.collections = List.copyOf(collections);
        this.dimension = dimension;
        this.timeout = timeout;
    }

    @Override
    public final Duration timeout() {
        return timeout.multipliedBy(Preflight.CALLS_PER_GROUP);
    }
}
