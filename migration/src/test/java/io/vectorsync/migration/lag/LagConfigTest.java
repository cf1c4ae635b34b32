package io.vectorsync.migration.lag;

import io.vectorsync.core.config.ConfigException;
import io.vectorsync.core.config.ConfigReader;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LagConfigTest {

    @Test
    void defaults() {
        assertThat(read(Map.of())).isEqualTo(new LagConfig(Duration.ofSeconds(1), Duration.ofSeconds(60),
                Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofSeconds(5)));
    }

    @Test
    void readsEveryKey() {
        assertThat(read(Map.of("lag.sample.interval.ms", "250", "lag.window.ms", "5000", "lag.history.ms", "5000",
                "lag.heartbeat.stale.ms", "3000", "lag.timeout.ms", "800")))
                .isEqualTo(new LagConfig(Duration.ofMillis(250), Duration.ofSeconds(5), Duration.ofSeconds(5),
                        Duration.ofSeconds(3), Duration.ofMillis(800)));
    }

    @Test
    void aWindowLongerThanTheHistoryIsRefusedNamingBoth() {
        assertThatThrownBy(() -> read(Map.of("lag.window.ms", "120000", "lag.history.ms", "60000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'lag.window.ms' was '120000' but it must not exceed lag.history.ms (60000)");
    }

    @Test
    void badValuesAreReportedTogetherNamingKeyAndValue() {
        assertThatThrownBy(() -> read(Map.of("lag.sample.interval.ms", "0", "lag.heartbeat.stale.ms", "soon")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'lag.sample.interval.ms' was '0' but it must be a positive whole number")
                .hasMessageContaining("'lag.heartbeat.stale.ms' was 'soon' but it must be a whole number");
    }

    private static LagConfig read(Map<String, String> raw) {
        ConfigReader reader = new ConfigReader(raw);
        LagConfig config = LagConfig.from(reader);
        reader.finish();
        return config;
    }
}
