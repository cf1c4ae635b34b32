package io.vectorsync.sink.preflight;

import java.time.Duration;
import java.util.List;

/** A check of one store: the collections it will hold, the dimension their vectors must have, its call bound. */
public abstract class StoreCheck implements PreflightCheck {
    protected final List<String> collections;
    protected final int dimension;
    /** Bound of each call to the store; the group as a whole gets {@link PreflightCheck#CALLS_PER_GROUP} of them. */
    protected final Duration timeout;

    protected StoreCheck(List<String> collections, int dimension, Duration timeout) {
        this.collections = List.copyOf(collections);
        this.dimension = dimension;
        this.timeout = timeout;
    }

    @Override
    public final Duration timeout() {
        return timeout.multipliedBy(CALLS_PER_GROUP);
    }
}
