package io.vectorsync.sink.spi;

import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.Sink;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.sink.preflight.CheckResult;
import io.vectorsync.sink.preflight.PreflightCheck;

import java.time.Duration;
import java.util.List;

/** A store's configuration, read by {@link Store#configure}, and everything the service makes from it. */
public interface StoreConfig {

    SinkName name();

    /** A writer holding its own connections; the caller closes it. */
    Sink openSink(int dimension);

    /** A reader holding its own connections; the caller closes it. */
    SinkReader openReader();

    /** The preflight group for this store: reachable, set up, each collection's existing dimension. */
    PreflightCheck preflight(List<String> collections, int dimension, Duration callTimeout);

    /** Whether the store can index vectors of {@code dimension}: a preflight row. */
    CheckResult dimensionLimit(int dimension);

    /** Host and port of the store's server, for a quick "does it answer" probe. */
    String server();

    /** Where the store keeps {@code collection}, in words a user can go and look at. */
    String where(String collection);
}
