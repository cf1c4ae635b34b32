package io.vectorsync.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaClientSecurityTest {
    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"vs-service\" password=\"s3cret-pw\";";

    @TempDir
    Path dir;

    @Test
    void securityPropertiesArePassedToEveryClientWithTheBootstrapServers() throws IOException {
        Path trust = Files.writeString(dir.resolve("ca.crt"), "pem");
        KafkaConfig kafka = read(Map.of(
                "kafka.bootstrap.servers", "broker:9093",
                "kafka.client.security.protocol", "SASL_SSL",
                "kafka.client.sasl.mechanism", "SCRAM-SHA-512",
                "kafka.client.sasl.jaas.config", JAAS,
                "kafka.client.ssl.truststore.type", "PEM",
                "kafka.client.ssl.truststore.location", trust.toString()));

        assertThat(kafka.clientProperties()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "bootstrap.servers", "broker:9093",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", JAAS,
                "ssl.truststore.type", "PEM",
                "ssl.truststore.location", trust.toString()));
        assertThat(kafka.security().username()).isEqualTo("vs-service");
    }

    @Test
    void withoutSecurityOnlyTheBootstrapServersAreSet() {
        assertThat(read(Map.of()).clientProperties()).containsOnlyKeys("bootstrap.servers");
    }

    @Test
    void everyProblemIsReportedTogetherNamingItsKey() {
        assertThatThrownBy(() -> read(Map.of(
                "kafka.client.security.protocol", "SASL_SSL",
                "kafka.client.ssl.truststore.location", dir.resolve("missing.jks").toString(),
                "kafka.client.ssl.keystore.type", "P12",
                "kafka.client.group.id", "x")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'kafka.client.sasl.mechanism' is required when kafka.client.security.protocol"
                        + " is SASL_SSL")
                .hasMessageContaining("'kafka.client.sasl.jaas.config' is required")
                .hasMessageContaining("'kafka.client.ssl.truststore.location' was '" + dir.resolve("missing.jks")
                        + "' but no readable file is there")
                .hasMessageContaining("'kafka.client.ssl.keystore.type' was 'P12' but it must be one of")
                .hasMessageContaining("'kafka.client.group.id' is not a Kafka client security property");
    }

    @Test
    void anUnknownSecurityProtocolIsRefusedNotDefaulted() {
        assertThatThrownBy(() -> read(Map.of("kafka.client.security.protocol", "SASL_TLS")))
                .hasMessageContaining("'kafka.client.security.protocol' was 'SASL_TLS' but it must be one of"
                        + " [PLAINTEXT, SASL_PLAINTEXT, SASL_SSL, SSL]");
    }

    @Test
    void aJaasConfigForAnotherMechanismOrWithoutItsSemicolonIsRefusedWithoutShowingIt() {
        String plain = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\""
                + " password=\"pw-in-jaas\"";
        assertThatThrownBy(() -> read(Map.of(
                "kafka.client.security.protocol", "SASL_PLAINTEXT",
                "kafka.client.sasl.mechanism", "SCRAM-SHA-512",
                "kafka.client.sasl.jaas.config", plain)))
                .hasMessageContaining("sasl.mechanism SCRAM-SHA-512 needs the login module"
                        + " org.apache.kafka.common.security.scram.ScramLoginModule")
                .hasMessageContaining("it must end with ';'")
                .message().doesNotContain("pw-in-jaas");
    }

    @Test
    void saslAndSslPropertiesWithoutAProtocolThatUsesThemAreReported() {
        assertThatThrownBy(() -> read(Map.of(
                "kafka.client.sasl.mechanism", "PLAIN",
                "kafka.client.ssl.truststore.type", "PEM")))
                .hasMessageContaining("'kafka.client.sasl.mechanism' has no effect: kafka.client.security.protocol"
                        + " is PLAINTEXT")
                .hasMessageContaining("'kafka.client.ssl.truststore.type' has no effect");
    }

    @Test
    void theJaasConfigAndPasswordsAreSecretsMaskedInTheEffectiveConfiguration() {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("kafka.client.security.protocol", "SASL_PLAINTEXT");
        raw.put("kafka.client.sasl.mechanism", "SCRAM-SHA-512");
        raw.put("kafka.client.sasl.jaas.config", JAAS);
        raw.put("kafka.client.ssl.key.password", "key-pw");
        ConfigReader reader = new ConfigReader(raw);
        KafkaClientSecurity.from(reader);

        assertThat(reader.effective()).containsEntry("kafka.client.sasl.jaas.config", "****")
                .containsEntry("kafka.client.security.protocol", "SASL_PLAINTEXT");
        assertThat(reader.problems()).extracting(ConfigProblem::toString).noneMatch(p -> p.contains("s3cret-pw"))
                .noneMatch(p -> p.contains("key-pw"));
        SecretMask mask = new SecretMask(reader.secrets());
        assertThat(mask.apply("login failed for vs-service with s3cret-pw; jaas " + JAAS + " key-pw"))
                .isEqualTo("login failed for vs-service with ****; jaas **** ****");
    }

    @Test
    void secretPropertiesAreTheJaasConfigPasswordsAndPrivateKeys() {
        assertThat(List.of("sasl.jaas.config", "ssl.truststore.password", "ssl.keystore.password",
                "ssl.key.password", "ssl.keystore.key")).allMatch(KafkaClientSecurity::isSecret);
        assertThat(List.of("security.protocol", "sasl.mechanism", "ssl.truststore.location",
                "ssl.endpoint.identification.algorithm")).noneMatch(KafkaClientSecurity::isSecret);
    }

    private static KafkaConfig read(Map<String, String> raw) {
        ConfigReader reader = new ConfigReader(raw);
        KafkaConfig kafka = KafkaConfig.from(reader);
        reader.finish();
        return kafka;
    }
}
