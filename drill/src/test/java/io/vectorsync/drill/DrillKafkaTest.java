package io.vectorsync.drill;

import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.config.KafkaConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The drill's own Kafka clients connect as the service's do: bootstrap servers and every kafka.client.* key. */
class DrillKafkaTest {
    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"vs-drill\" password=\"drill-pw\";";

    @TempDir
    Path dir;

    @Test
    void everyDrillClientTakesThePipelinesSecurityProperties() throws IOException {
        Path trust = Files.writeString(dir.resolve("ca.crt"), "pem");
        DrillSettings settings = DrillSettings.from(Map.of(
                "drill.kafka.bootstrap.servers", "broker:9094",
                "drill.kafka.client.security.protocol", "SASL_SSL",
                "drill.kafka.client.sasl.mechanism", "SCRAM-SHA-512",
                "drill.kafka.client.sasl.jaas.config", JAAS,
                "drill.kafka.client.ssl.truststore.type", "PEM",
                "drill.kafka.client.ssl.truststore.location", trust.toString(),
                "drill.seed", "7"), 0);
        KafkaConfig kafka = read(settings.kafka());
        Map<String, Object> secured = Map.of(
                "bootstrap.servers", "broker:9094",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", JAAS,
                "ssl.truststore.type", "PEM",
                "ssl.truststore.location", trust.toString());

        assertThat(DrillKafka.producer(kafka)).containsAllEntriesOf(secured)
                .containsEntry("acks", "all").containsEntry("delivery.timeout.ms", "60000");
        assertThat(DrillKafka.consumer(kafka)).containsAllEntriesOf(secured)
                .containsEntry("enable.auto.commit", "false");
        assertThat(DrillKafka.admin(kafka)).containsExactlyInAnyOrderEntriesOf(secured);
    }

    @Test
    void theSettingsNameTheKafkaKeysButNeverTheirValues() {
        DrillSettings settings = DrillSettings.from(Map.of(
                "drill.kafka.client.sasl.jaas.config", JAAS, "drill.profile", "ci", "other.key", "x"), 0);

        assertThat(settings.kafka()).containsOnlyKeys("kafka.client.sasl.jaas.config");
        assertThat(settings.toString()).contains("kafka=[kafka.client.sasl.jaas.config]").doesNotContain("drill-pw");
    }

    @Test
    void withoutKafkaSettingsTheDrillClientsUseThePlainListener() {
        KafkaConfig kafka = read(Map.of("kafka.bootstrap.servers", "127.0.0.1:9092"));

        assertThat(DrillKafka.admin(kafka)).containsExactlyEntriesOf(Map.of("bootstrap.servers", "127.0.0.1:9092"));
        assertThat(DrillSettings.from(Map.of(), 0).kafka()).isEmpty();
    }

    private static KafkaConfig read(Map<String, String> raw) {
        ConfigReader reader = new ConfigReader(raw);
        KafkaConfig kafka = KafkaConfig.from(reader);
        reader.finish();
        return kafka;
    }
}
