package io.vectorsync.sink.gate;

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
        assertThat(read(Map.of())).isEqualTo(new GateConfig(100, Duration.ofMillis(5000)));
    }

    @Test
    void zeroLagIsAllowed() {
        assertThat(read(Map.of("gate.max.consumer.lag", "0", "gate.kafka.timeout.ms", "250")))
                .isEqualTo(new GateConfig(0, Duration.ofMillis(250)));
    }

    @Test
    void badValuesAreReportedTogetherNamingKeyAndValue() {
        assertThatThrownBy(() -> read(Map.of("gate.max.consumer.lag", "-1", "gate.kafka.timeout.ms", "soon")))
                .isInstanceOf(ConfigException.class)
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
