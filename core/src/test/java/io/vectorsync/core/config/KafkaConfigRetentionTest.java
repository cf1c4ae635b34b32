package io.vectorsync.core.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaConfigRetentionTest {

    @Test
    void topicsKeepSevenDaysAndDeadLettersThirtyByDefault() {
        ConfigReader reader = new ConfigReader(Map.of());
        KafkaConfig kafka = KafkaConfig.from(reader);

        assertThat(reader.problems()).isEmpty();
        assertThat(kafka.retentionMs()).isEqualTo(7L * 24 * 3_600_000);
        assertThat(kafka.dlqRetentionMs()).isEqualTo(30L * 24 * 3_600_000);
    }

    @Test
    void minusOneKeepsForeverAndAnHourIsTheShortestAccepted() {
        ConfigReader reader = new ConfigReader(Map.of("kafka.topic.retention.ms", "-1",
                "kafka.dlq.retention.ms", "3600000"));
        KafkaConfig kafka = KafkaConfig.from(reader);

        assertThat(reader.problems()).isEmpty();
        assertThat(kafka.retentionMs()).isEqualTo(-1);
        assertThat(kafka.dlqRetentionMs()).isEqualTo(3_600_000);
    }

    @Test
    void aRetentionUnderAnHourOrNotANumberIsReportedWithEveryOtherProblem() {
        ConfigReader reader = new ConfigReader(Map.of("kafka.topic.retention.ms", "60000",
                "kafka.dlq.retention.ms", "a week"));
        KafkaConfig.from(reader);

        assertThat(reader.problems()).extracting(ConfigProblem::toString).containsExactly(
                new ConfigProblem("kafka.topic.retention.ms", "60000", "it must be -1 (forever) or at least 3600000"
                        + " (1 hour): a sink stopped longer than the retention loses changes").toString(),
                new ConfigProblem("kafka.dlq.retention.ms", "a week", "it must be a whole number of milliseconds,"
                        + " or -1 for forever").toString());
    }
}
