package io.vectorsync.sink.spi;

import io.vectorsync.core.config.ConfigKey;
import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.model.SinkName;

import java.util.List;

/**
 * A store vectorsync can write to, as its module offers it to the rest of the service. Each store module has one
 * implementation, listed in its {@code META-INF/services/io.vectorsync.sink.spi.Store}, and {@link StoreRegistry}
 * finds them on the classpath: nothing outside a store's module names its classes.
 */
public interface Store {

    /** Which store this is; its id is the spelling used in config keys, topics and metric tags. */
    SinkName name();

    /** The heading of its keys in the configuration reference, e.g. "pgvector sink". */
    String title();

    /** Every configuration key it reads, each with default and description. */
    List<ConfigKey<?>> keys();

    /** Reads its configuration; problems are collected by {@code reader} and reported with everyone else's. */
    StoreConfig configure(ConfigReader reader);
}
