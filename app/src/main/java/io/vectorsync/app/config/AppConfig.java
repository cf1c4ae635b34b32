package io.vectorsync.app.config;

import io.vectorsync.app.http.HttpConfig;
import io.vectorsync.connector.ConnectorConfig;
import io.vectorsync.core.config.EmbeddingConfig;
import io.vectorsync.core.config.KafkaConfig;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.core.config.SecretMask;
import io.vectorsync.core.config.TombstoneConfig;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.migration.gate.GateConfig;
import io.vectorsync.migration.lag.LagConfig;
import io.vectorsync.migration.shadow.ShadowConfig;
import io.vectorsync.sink.runner.SinkWorkerConfig;
import io.vectorsync.sink.spi.StoreConfig;
import io.vectorsync.streams.StreamsWorkerConfig;
import io.vectorsync.validation.ValidationConfig;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Everything the service is configured with, each part owned by its module; {@code effective} is safe to log, and
 * {@code secretMask} hides the value of every key declared secret ({@code ConfigKey.secret()}) in printed text.
 */
public record AppConfig(KafkaConfig kafka, ConnectorConfig source, MappingConfig mappings, EmbeddingConfig embedding,
                        StreamsWorkerConfig streams, SinkWorkerConfig sinkWorker, TombstoneConfig tombstones,
                        Map<SinkName, StoreConfig> stores, GateConfig gate, LagConfig lag,
                        ShadowConfig shadow, HttpConfig http, ValidationConfig validation,
                        ObservabilityConfig observability, Map<String, String> effective, SecretMask secretMask) {

    public AppConfig {
        stores = Map.copyOf(stores);
    }

    /** The configuration of one store, as its module read it. */
    public StoreConfig store(SinkName name) {
        StoreConfig store = stores.get(name);
        if (store == null) {
            throw new IllegalArgumentException("no configuration for store '" + name + "'");
        }
        return store;
    }

    /** Every store some collection writes to (its sinks, or its legacy and target stores). */
    public Set<SinkName> storesInUse() {
        Set<SinkName> used = EnumSet.noneOf(SinkName.class);
        mappings.collections().forEach(c -> used.addAll(c.sinks()));
        return used;
    }
}
