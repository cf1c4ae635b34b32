package io.vectorsync.app.config;

import io.vectorsync.app.http.HttpConfig;
import io.vectorsync.connector.ConnectorConfig;
import io.vectorsync.core.config.ConfigKey;
import io.vectorsync.core.config.EmbeddingConfig;
import io.vectorsync.core.config.KafkaConfig;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.core.config.TombstoneConfig;
import io.vectorsync.migration.gate.GateConfig;
import io.vectorsync.migration.lag.LagConfig;
import io.vectorsync.migration.shadow.ShadowConfig;
import io.vectorsync.sink.runner.SinkWorkerConfig;
import io.vectorsync.sink.spi.StoreRegistry;
import io.vectorsync.streams.StreamsWorkerConfig;
import io.vectorsync.validation.ValidationConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Every configuration key, grouped by the module that owns it: the source of the config reference. */
public final class ConfigKeys {
    private ConfigKeys() {
    }

    public static Map<String, List<ConfigKey<?>>> bySection() {
        Map<String, List<ConfigKey<?>>> sections = new LinkedHashMap<>();
        sections.put("Kafka", KafkaConfig.KEYS);
        sections.put("Source (PostgreSQL, Debezium)", ConnectorConfig.KEYS);
        sections.put("Collections", MappingConfig.KEYS);
        sections.put("Embedding", EmbeddingConfig.KEYS);
        sections.put("Streams worker", StreamsWorkerConfig.KEYS);
        sections.put("Sink workers", SinkWorkerConfig.KEYS);
        sections.put("Tombstones", TombstoneConfig.KEYS);
        StoreRegistry.load().all().forEach(store -> sections.put(store.title(), store.keys()));
        sections.put("Cutover gate", GateConfig.KEYS);
        sections.put("Lag monitor", LagConfig.KEYS);
        sections.put("Shadow reads", ShadowConfig.KEYS);
        sections.put("HTTP API", HttpConfig.KEYS);
        sections.put("Validator", ValidationConfig.KEYS);
        sections.put("Instance and logs", ObservabilityConfig.KEYS);
        return sections;
    }

    /** Whether {@code name} is a key declared secret (a collection's key is matched against its {@code <name>} form). */
    public static boolean isSecret(String name) {
        return bySection().values().stream().flatMap(List::stream).filter(ConfigKey::secret)
                .anyMatch(k -> k.name().equals(name) || (k.name().contains("<name>")
                        && name.matches(Pattern.quote(k.name()).replace("<name>", "\\E[^.]+\\Q"))));
    }

    /** The reference as a Markdown table per section, as printed by {@code vectorsync config reference}. */
    public static String markdown() {
        StringBuilder out = new StringBuilder();
        bySection().forEach((section, keys) -> {
            out.append("### ").append(section).append("\n\n| key | default | description |\n|---|---|---|\n");
            for (ConfigKey<?> k : keys) {
                String def = k.required() ? "*(required)*" : k.secret() ? "*(secret, empty)*"
                        : k.defaultValue().isEmpty() ? "*(empty)*" : "`" + k.defaultValue() + "`";
                out.append("| `").append(k.name()).append("` | ").append(def).append(" | ")
                        .append(k.description().replace("|", "\\|")).append(" |\n");
            }
            out.append('\n');
        });
        return out.toString();
    }

    static List<ConfigKey<?>> all() {
        return bySection().values().stream().flatMap(List::stream).collect(Collectors.toList());
    }

    static Stream<String> names() {
        return all().stream().map(ConfigKey::name);
    }
}
