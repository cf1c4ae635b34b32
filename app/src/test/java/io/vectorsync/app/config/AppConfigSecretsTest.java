package io.vectorsync.app.config;

import io.vectorsync.core.config.SecretMask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The configuration knows every secret it holds, the stores' included, so printed text can be masked. */
class AppConfigSecretsTest {

    @Test
    void theConfigurationsPasswordsAndMilvusTokenAreAllSecrets() {
        AppConfig config = AppConfigLoader.load(Map.of(
                "collections.docs.table", "public.docs",
                "collections.docs.id", "id",
                "collections.docs.template", "{body}",
                "source.password", "src-pw",
                "sink.pgvector.password", "pgv-pw",
                "sink.neo4j.password", "neo-pw",
                "sink.milvus.token", "root:milvus-pw"), false);

        SecretMask mask = config.secretMask();

        assertThat(mask.apply("src-pw pgv-pw neo-pw root:milvus-pw, then milvus-pw alone"))
                .isEqualTo("**** **** **** ****, then **** alone");
    }

    @Test
    void aSecretReadFromAFileIsMaskedAndTheEffectiveConfigurationShowsTheReference(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("source-password");
        Files.writeString(file, "from-a-file-pw\n");
        String reference = "${file:" + file + "}";
        AppConfig config = AppConfigLoader.load(Map.of(
                "collections.docs.table", "public.docs",
                "collections.docs.id", "id",
                "collections.docs.template", "{body}",
                "source.password", reference,
                "source.host", reference), false);

        assertThat(config.source().password()).isEqualTo("from-a-file-pw");
        assertThat(config.secretMask().apply("auth failed for from-a-file-pw")).isEqualTo("auth failed for ****");
        assertThat(config.effective()).containsEntry("source.password", "****")
                .containsEntry("source.host", reference);
    }

    @Test
    void theKafkaLoginAndKeyStorePasswordsAreSecretsMaskedInTheEffectiveConfigurationToo() {
        AppConfig config = AppConfigLoader.load(Map.of(
                "collections.docs.table", "public.docs",
                "collections.docs.id", "id",
                "collections.docs.template", "{body}",
                "kafka.client.security.protocol", "SASL_SSL",
                "kafka.client.sasl.mechanism", "SCRAM-SHA-512",
                "kafka.client.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"svc\" password=\"kafka-pw\";",
                "kafka.client.ssl.keystore.password", "ks-pw"), false);

        assertThat(config.secretMask().apply("SASL authentication failed: kafka-pw; keystore ks-pw"))
                .isEqualTo("SASL authentication failed: ****; keystore ****");
        assertThat(config.effective()).containsEntry("kafka.client.sasl.jaas.config", "****")
                .containsEntry("kafka.client.ssl.keystore.password", "****")
                .containsEntry("kafka.client.sasl.mechanism", "SCRAM-SHA-512");
    }
}
