package io.vectorsync.core.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddingConfigTest {

    @Test
    void anHttpProviderNeedsAnHttpUrlAndAModelAndAllIsReportedTogether() {
        ConfigReader reader = new ConfigReader(Map.of("embedding.provider", "openai", "embedding.url", "api.openai.com",
                "embedding.retry.max", "-1"));
        EmbeddingConfig.from(reader);

        assertThatThrownBy(reader::finish).isInstanceOf(ConfigException.class)
                .hasMessageContaining("embedding.url").hasMessageContaining("absolute http:// or https:// URL")
                .hasMessageContaining("embedding.model").hasMessageContaining("is required when embedding.provider"
                        + " is openai")
                .hasMessageContaining("embedding.retry.max");
    }

    @Test
    void theInProcessModelNeedsNoUrl() {
        ConfigReader reader = new ConfigReader(Map.of());
        EmbeddingConfig config = EmbeddingConfig.from(reader);
        reader.finish();

        assertThat(config.provider()).isEqualTo(EmbeddingConfig.Provider.MINILM);
        assertThat(config.endpoint().maxConcurrency()).isEqualTo(2);
    }

    @Test
    void azureOpenAiIsChosenByItsApiVersionAndTheKeyIsMaskedWhenPrinted() {
        ConfigReader reader = new ConfigReader(Map.of("embedding.provider", "openai",
                "embedding.url", "https://acme.openai.azure.com", "embedding.model", "embed-deployment",
                "embedding.api.key", "secret-key-123", "embedding.azure.api.version", "2024-10-21",
                "embedding.dimension", "1536"));
        EmbeddingConfig config = EmbeddingConfig.from(reader);
        reader.finish();

        assertThat(config.endpoint().azure()).isTrue();
        assertThat(config.endpoint().apiKey()).isEqualTo("secret-key-123");
        assertThat(config.toString()).doesNotContain("secret-key-123");
        assertThat(reader.effective().get("embedding.api.key")).doesNotContain("secret-key-123");
    }

    @Test
    void retriesThatCouldHoldTheStreamThreadPastKafkasPollIntervalAreAConfigProblem() {
        ConfigReader reader = new ConfigReader(Map.of("embedding.provider", "ollama",
                "embedding.url", "http://localhost:11434", "embedding.model", "all-minilm",
                "embedding.retry.max", "10", "embedding.timeout.ms", "30000"));
        EmbeddingConfig.from(reader);

        assertThatThrownBy(reader::finish).hasMessageContaining("embedding.retry.max")
                .hasMessageContaining("hold the stream thread 630000 ms");

        ConfigReader defaults = new ConfigReader(Map.of("embedding.provider", "ollama",
                "embedding.url", "http://localhost:11434", "embedding.model", "all-minilm"));
        assertThat(EmbeddingConfig.from(defaults).endpoint().worstCaseMs()).isEqualTo(270_000);
        defaults.finish();
    }
}
