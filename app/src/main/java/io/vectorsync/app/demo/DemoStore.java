package io.vectorsync.app.demo;

import io.vectorsync.app.config.AppConfig;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.store.pgvector.PgvectorSinkConfig;

/**
 * The demo and the bench show their results through pgvector (SQL the user can type, semantic queries), so they
 * read its configuration as pgvector's own type. The pipeline itself never does: it goes through the store SPI.
 */
public final class DemoStore {
    private DemoStore() {
    }

    public static PgvectorSinkConfig pgvector(AppConfig config) {
        return (PgvectorSinkConfig) config.store(SinkName.PGVECTOR);
    }
}
