package io.vectorsync.store.pgvector;

import io.vectorsync.core.config.ConfigKey;
import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.spi.Store;
import io.vectorsync.sink.spi.StoreConfig;

import java.util.List;

/** Pgvector sink, as the service finds it through {@link io.vectorsync.sink.spi.StoreRegistry}. */
public final class PgvectorStore implements Store {

    @Override
    public SinkName name() {
        return SinkName.PGVECTOR;
    }

    @Override
    public String title() {
        return "pgvector sink";
    }

    @Override
    public List<ConfigKey<?>> keys() {
        return PgvectorSinkConfig.KEYS;
    }

    @Override
    public StoreConfig configure(ConfigReader reader) {
        return PgvectorSinkConfig.from(reader);
    }
}
