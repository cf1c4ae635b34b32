package io.vectorsync.app.config;

import io.vectorsync.app.http.HttpConfig;
import io.vectorsync.connector.ConnectorConfig;
import io.vectorsync.core.config.EmbeddingConfig;
import io.vectorsync.core.config.KafkaConfig;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.store.milvus.MilvusSinkConfig;
import io.vectorsync.store.neo4j.Neo4jSinkConfig;
import io.vectorsync.migration.gate.GateConfig;
import io.vectorsync.migration.lag.LagConfig;
import io.vectorsync.store.pgvector.PgvectorSinkConfig;
import io.vectorsync.migration.shadow.ShadowConfig;
import io.vectorsync.sink.runner.SinkWorkerConfig;
import io.vectorsync.validation.ValidationConfig;
import io.vectorsync.streams.StreamsWorkerConfig;

import java.util.Map;

/** Everything the service is configured with, each part owned by its module; {@code effective} is safe to log. */
public record AppConfig(KafkaConfig kafka, ConnectorConfig source, MappingConfig mappings, EmbeddingConfig embedding,
                        StreamsWorkerConfig streams, SinkWorkerConfig sinkWorker, PgvectorSinkConfig pgvector,
                        Neo4jSinkConfig neo4j, MilvusSinkConfig milvus, GateConfig gate, LagConfig lag,
                        ShadowConfig shadow, HttpConfig http, ValidationConfig validate,
                        Map<String, String> effective) {
}
