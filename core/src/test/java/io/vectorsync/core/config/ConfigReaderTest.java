package io.vectorsync.core.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigReaderTest {
    private static final ConfigKey<String> URL = ConfigKey.string("sink.pgvector.url", "jdbc:postgresql://h/db",
            "JDBC URL");
    private static final ConfigKey<String> PASSWORD = ConfigKey.secret("sink.pgvector.password", "password");
    private static final ConfigKey<Integer> PORT = ConfigKey.positiveInt("source.port", 5432, "port");

    @Test
    void effectiveConfigurationMasksAPasswordInsideAUrl() {
        ConfigReader reader = new ConfigReader(Map.of(
                "sink.pgvector.url", "jdbc:postgresql://h:5432/vectors?user=vs&password=s3cr3t&ssl=true"));
        reader.get(URL);

        assertThat(reader.effective()).containsEntry("sink.pgvector.url",
                "jdbc:postgresql://h:5432/vectors?user=vs&password=****&ssl=true");
        assertThat(reader.effective().toString()).doesNotContain("s3cr3t");
    }

    @Test
    void effectiveConfigurationMasksAPasswordFirstInTheQueryAndInTheUserInfo() {
        ConfigReader reader = new ConfigReader(Map.of(
                "sink.pgvector.url", "jdbc:postgresql://h/vectors?password=s3cr3t",
                "kafka.url", "http://vs:hunter2@broker:8080/x"));
        reader.get(URL);
        reader.get(ConfigKey.string("kafka.url", "http://h", "url"));

        assertThat(reader.effective()).containsEntry("sink.pgvector.url", "jdbc:postgresql://h/vectors?password=****")
                .containsEntry("kafka.url", "http://vs:****@broker:8080/x");
    }

    @Test
    void secretKeysStayMaskedAndOtherValuesAreShownAsGiven() {
        ConfigReader reader = new ConfigReader(Map.of("sink.pgvector.password", "s3cr3t", "source.port", "6543"));
        reader.get(PASSWORD);
        reader.get(PORT);

        assertThat(reader.effective()).containsEntry("sink.pgvector.password", "****")
                .containsEntry("source.port", "6543");
    }

    @Test
    void aProblemWithAUrlDoesNotQuoteItsPassword() {
        ConfigReader reader = new ConfigReader(Map.of("sink.pgvector.url", "jdbc:x://h/db?password=s3cr3t&x=1",
                "source.port", "port?password=s3cr3t"));
        reader.get(URL);
        reader.get(PORT);

        assertThatThrownBy(reader::finish).isInstanceOf(ConfigException.class)
                .hasMessageContaining("password=****").hasMessageNotContaining("s3cr3t");
    }
}
