package io.vectorsync.app.config;

import io.vectorsync.app.http.HttpConfig;
import io.vectorsync.connector.ConnectorConfig;
import io.vectorsync.connector.SourceSchemaCheck;
import io.vectorsync.core.config.ConfigException;
import io.vectorsync.core.config.ConfigProblem;
import io.vectorsync.core.config.ConfigReader;
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
import io.vectorsync.sink.spi.StoreRegistry;
import io.vectorsync.streams.StreamsWorkerConfig;
import io.vectorsync.validation.ValidationConfig;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Loads the configuration file, applies overrides, builds every module's config and fails with one
 * {@link ConfigException} listing every problem — including, when asked, problems found against the live source
 * database (unknown table, missing column).
 */
public final class AppConfigLoader {
    private AppConfigLoader() {
    }

    public static Map<String, String> read(Path file) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in);
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigProblem("--config", file.toString(),
                    "the file cannot be read: " + e.getMessage())));
        }
    }

    /** Java properties text as an ordered map of raw values. */
    public static Map<String, String> read(Reader in) throws IOException {
        Properties props = new Properties();
        props.load(in);
        Map<String, String> raw = new LinkedHashMap<>();
        props.stringPropertyNames().forEach(k -> raw.put(k, props.getProperty(k)));
        return raw;
    }

    public static AppConfig load(Map<String, String> raw, boolean checkSource) {
        return load(raw, checkSource, System.getenv());
    }

    /** As {@link #load(Map, boolean)}, resolving {@code ${env:NAME}} in {@code environment}. */
    public static AppConfig load(Map<String, String> raw, boolean checkSource, Map<String, String> environment) {
        ConfigReader reader = new ConfigReader(raw, environment);
        KafkaConfig kafka = KafkaConfig.from(reader);
        ConnectorConfig source = ConnectorConfig.from(reader);
        MappingConfig mappings = MappingConfig.from(reader);
        EmbeddingConfig embedding = EmbeddingConfig.from(reader);
        StreamsWorkerConfig streams = StreamsWorkerConfig.from(reader);
        SinkWorkerConfig sinkWorker = SinkWorkerConfig.from(reader);
        TombstoneConfig tombstones = TombstoneConfig.from(reader, kafka);
        Map<SinkName, StoreConfig> stores = new EnumMap<>(SinkName.class);
        StoreRegistry.load().all().forEach(store -> stores.put(store.name(), store.configure(reader)));
        GateConfig gate = GateConfig.from(reader);
        LagConfig lag = LagConfig.from(reader);
        ShadowConfig shadow = ShadowConfig.from(reader);
        HttpConfig http = HttpConfig.from(reader);
        ValidationConfig validation = ValidationConfig.from(reader);
        ObservabilityConfig observability = ObservabilityConfig.from(reader);

        List<ConfigProblem> more = new ArrayList<>(ConnectorTableCheck.problems(source, mappings));
        if (checkSource) {
            // Checked even when other keys are wrong, so one start-up reports everything at once.
            more.addAll(new SourceSchemaCheck(source).problems(mappings));
        }
        reader.finish(more);
        return new AppConfig(kafka, source, mappings, embedding, streams, sinkWorker, tombstones, stores, gate,
                lag, shadow, http, validation, observability, reader.effective(), new SecretMask(reader.secrets()));
    }
}
