package io.vectorsync.app.config;

import io.vectorsync.core.config.ConfigException;
import io.vectorsync.core.config.ConfigReader;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** instance.id and log.format: a default instance that is a valid tag, and bad values named at start-up. */
class ObservabilityConfigTest {

    @Test
    void theDefaultInstanceIsTheHostNameAndProcessIdAndAValidId() {
        ObservabilityConfig config = read(Map.of());

        assertThat(config.instanceId()).endsWith("-" + ProcessHandle.current().pid())
                .matches(ObservabilityConfig.INSTANCE_ID);
        assertThat(config.logFormat()).isEqualTo(ObservabilityConfig.LogFormat.TEXT);
    }

    @Test
    void aConfiguredInstanceAndJsonLogsAreTaken() {
        ObservabilityConfig config = read(Map.of("instance.id", "sink-2.eu_west", "log.format", "json"));

        assertThat(config.instanceId()).isEqualTo("sink-2.eu_west");
        assertThat(config.logFormat()).isEqualTo(ObservabilityConfig.LogFormat.JSON);
    }

    @Test
    void aBadInstanceAndAnUnknownLogFormatAreBothReportedNamingKeyAndValue() {
        assertThatThrownBy(() -> read(Map.of("instance.id", "sink 2\"}", "log.format", "xml")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("instance.id").hasMessageContaining("sink 2\"}")
                .hasMessageContaining("log.format").hasMessageContaining("xml")
                .hasMessageContaining("[text, json]");
        assertThatThrownBy(() -> read(Map.of("instance.id", "x".repeat(64))))
                .hasMessageContaining("at most 63 characters");
    }

    private static ObservabilityConfig read(Map<String, String> raw) {
        ConfigReader reader = new ConfigReader(raw);
        ObservabilityConfig config = ObservabilityConfig.from(reader);
        reader.finish();
        return config;
    }
}
