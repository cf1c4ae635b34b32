package io.vectorsync.app;

import io.vectorsync.app.config.AppConfig;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.Sink;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.store.milvus.MilvusReader;
import io.vectorsync.store.milvus.MilvusSink;
import io.vectorsync.store.neo4j.Neo4jReader;
import io.vectorsync.store.neo4j.Neo4jSink;
import io.vectorsync.store.pgvector.PgvectorReader;
import io.vectorsync.store.pgvector.PgvectorSink;

/** The one place that knows which class writes and reads each store. */
public final class Stores {
    private Stores() {
    }

    public static Sink sink(AppConfig config, SinkName store) {
        int dimension = config.embedding().dimension();
        return switch (store) {
            case PGVECTOR -> new PgvectorSink(config.pgvector(), dimension);
            case NEO4J -> new Neo4jSink(config.neo4j(), dimension);
            case MILVUS -> new MilvusSink(config.milvus(), dimension);
        };
    }

    public static SinkReader reader(AppConfig config, SinkName store) {
        return switch (store) {
            case PGVECTOR -> new PgvectorReader(config.pgvector());
            case NEO4J -> new Neo4jReader(config.neo4j());
            case MILVUS -> new MilvusReader(config.milvus());
        };
    }
}
