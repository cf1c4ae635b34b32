package io.vectorsync.app.config;

import io.vectorsync.app.http.HttpConfig;
import io.vectorsync.connector.ConnectorConfig;
import io.vectorsync.core.config.EmbeddingConfig;
import io.vectorsync.core.config.KafkaConfig;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.sink.milvus.MilvusSinkConfig;
import io.vectorsync.sink.neo4j.Neo4jSinkConfig;
import io.vectorsync.sink.gate.GateConfig;
import io.vectorsync.sink.lag.LagConfig;
import io.vectorsync.sink.pgvector.PgvectorSinkConfig;
import io.vectorsync.sink.shadow.ShadowConfig;
import io.vectorsync.sink.runner.SinkWorkerConfig;
import io.vectorsync.sink.validate.ValidateConfig;
import io.vectorsync.streams.StreamsWorkerConfig;

import java.util.Map;

/** Everything the service is configured with, each part owned by its module; {@code effective} is safe to log. */
public record AppConfig(KafkaConfig kafka, ConnectorConfig source, MappingConfig mappings, EmbeddingConfig embedding,
                        StreamsWorkerConfig streams, SinkWorkerConfig sinkWorker, PgvectorSinkConfig pgvector,
                        Neo4jSinkConfig neo4j, MilvusSinkConfig milvus, GateConfig gate, LagConfig lag,
                        ShadowConfig shadow, HttpConfig http, ValidateConfig validate,
                        Map<String, String> effective) {
}
