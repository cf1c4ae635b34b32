package io.vectorsync.store.neo4j;

import io.vectorsync.core.config.ConfigKey;
import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.spi.Store;
import io.vectorsync.sink.spi.StoreConfig;

import java.util.List;

/** Neo4j sink, as the service finds it through {@link io.vectorsync.sink.spi.StoreRegistry}. */
public final class Neo4jStore implements Store {

    @Override
    public SinkName name() {
        return SinkName.NEO4J;
    }

    @Override
    public String title() {
        return "Neo4j sink";
    }

    @Override
    public List<ConfigKey<?>> keys() {
        return Neo4jSinkConfig.KEYS;
    }

    @Override
    public StoreConfig configure(ConfigReader reader) {
        return Neo4jSinkConfig.from(reader);
    }
}
