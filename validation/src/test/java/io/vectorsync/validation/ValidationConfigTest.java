package io.vectorsync.validation;

import io.vectorsync.core.config.ConfigException;
import io.vectorsync.core.config.ConfigReader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValidationConfigTest {

    @Test
    void defaults() {
        ValidationConfig config = read(Map.of());
        assertThat(config).isEqualTo(new ValidationConfig(500, 0.001, Duration.ofSeconds(3), Optional.empty()));
        assertThat(config.checkpointDir(Path.of("/state"))).isEqualTo(Path.of("/state/validate"));
    }

    @Test
    void aCheckpointDirectoryGivenIsUsed() {
        ValidationConfig config = read(Map.of("validate.checkpoint.dir", "/var/vs", "validate.drift.max", "0.05",
                "validate.recheck.delay.ms", "0"));
        assertThat(config.checkpointDir(Path.of("/state"))).isEqualTo(Path.of("/var/vs"));
        assertThat(config.driftMax()).isEqualTo(0.05);
        assertThat(config.recheckDelay()).isZero();
    }

    @Test
    void badValuesAreReportedTogetherNamingKeyAndValue() {
        assertThatThrownBy(() -> read(Map.of("validate.page.size", "0", "validate.drift.max", "lots",
                "validate.recheck.delay.ms", "-1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'validate.page.size' was '0' but it must be an integer between 1 and 100000")
                .hasMessageContaining("'validate.drift.max' was 'lots' but it must be a number")
                .hasMessageContaining("'validate.recheck.delay.ms' was '-1' but it must be an integer between 0");
        assertThatThrownBy(() -> read(Map.of("validate.drift.max", "3")))
                .hasMessageContaining("'validate.drift.max' was '3' but it must be a cosine distance between 0 and 2");
    }

    private static ValidationConfig read(Map<String, String> raw) {
        ConfigReader reader = new ConfigReader(raw);
        ValidationConfig config = ValidationConfig.from(reader);
        reader.finish();
        return config;
    }
}
