package io.vectorsync.migration.gate;

import io.vectorsync.core.config.ConfigException;
import io.vectorsync.core.config.ConfigReader;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GateConfigTest {

    @Test
    void defaults() {
        assertThat(read(Map.of())).isEqualTo(new GateConfig(100, Duration.ofMillis(5000), Duration.ofSeconds(10),
                Duration.ofSeconds(60), 64L * 1024 * 1024, Duration.ofHours(1), 1.0, 0.8, 10));
    }

    @Test
    void zeroLagIsAllowed() {
        GateConfig config = read(Map.of("gate.max.consumer.lag", "0", "gate.kafka.timeout.ms", "250",
                "gate.shadow.min.comparisons", "0", "gate.validation.min.match", "0.995"));

        assertThat(config.maxConsumerLag()).isZero();
        assertThat(config.kafkaTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.shadowMinComparisons()).isZero();
        assertThat(config.validationMinMatch()).isEqualTo(0.995);
    }

    @Test
    void badValuesAreReportedTogetherNamingKeyAndValue() {
        assertThatThrownBy(() -> read(Map.of("gate.max.consumer.lag", "-1", "gate.kafka.timeout.ms", "soon",
                "gate.validation.min.match", "1.5", "gate.shadow.min.agreement", "most")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'gate.validation.min.match' was '1.5' but it must be a number between 0 and 1")
                .hasMessageContaining("'gate.shadow.min.agreement' was 'most' but it must be a number between 0 and 1")
                .hasMessageContaining("'gate.max.consumer.lag' was '-1' but it must be an integer of at least 0")
                .hasMessageContaining("'gate.kafka.timeout.ms' was 'soon' but it must be a whole number");
    }

    private static GateConfig read(Map<String, String> raw) {
        ConfigReader reader = new ConfigReader(raw);
        GateConfig config = GateConfig.from(reader);
        reader.finish();
        return config;
    }
}
