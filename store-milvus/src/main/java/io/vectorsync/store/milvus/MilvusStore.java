package io.vectorsync.store.milvus;

import io.vectorsync.core.config.ConfigKey;
import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.spi.Store;
import io.vectorsync.sink.spi.StoreConfig;

import java.util.List;

/** Milvus sink, as the service finds it through {@link io.vectorsync.sink.spi.StoreRegistry}. */
public final class MilvusStore implements Store {

    @Override
    public SinkName name() {
        return SinkName.MILVUS;
    }

    @Override
    public String title() {
        return "Milvus sink";
    }

    @Override
    public List<ConfigKey<?>> keys() {
        return MilvusSinkConfig.KEYS;
    }

    @Override
    public StoreConfig configure(ConfigReader reader) {
        return MilvusSinkConfig.from(reader);
    }
}
