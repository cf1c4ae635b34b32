package io.vectorsync.app.pipeline;

import io.vectorsync.app.config.AppConfig;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.Sink;
import io.vectorsync.sink.api.SinkReader;

/** A store's writer and reader, opened from its configuration: the store modules know their own classes. */
public final class Stores {
    private Stores() {
    }

    public static Sink sink(AppConfig config, SinkName store) {
        return config.store(store).openSink(config.embedding().dimension());
    }

    public static SinkReader reader(AppConfig config, SinkName store) {
        return config.store(store).openReader();
    }
}
