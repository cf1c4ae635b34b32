package io.vectorsync.migration.shadow;

import io.vectorsync.core.config.ConfigException;
import io.vectorsync.core.config.ConfigReader;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShadowConfigTest {

    @Test
    void defaults() {
        assertThat(read(Map.of())).isEqualTo(new ShadowConfig(2, 100, 1000));
    }

    @Test
    void badValuesAreReportedTogetherNamingKeyAndValue() {
        assertThatThrownBy(() -> read(Map.of("shadow.threads", "0", "shadow.queue.capacity", "lots",
                "shadow.window", "-3")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'shadow.threads' was '0' but it must be an integer between 1 and 64")
                .hasMessageContaining("'shadow.queue.capacity' was 'lots' but it must be a whole number")
                .hasMessageContaining("'shadow.window' was '-3' but it must be an integer between 1 and 1000000");
    }

    private static ShadowConfig read(Map<String, String> raw) {
        ConfigReader reader = new ConfigReader(raw);
        ShadowConfig config = ShadowConfig.from(reader);
        reader.finish();
        return config;
    }
}
