package io.vectorsync.core.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TombstoneConfigTest {

    private static TombstoneConfig load(ConfigReader reader) {
        return TombstoneConfig.from(reader, KafkaConfig.from(reader));
    }

    @Test
    void tombstonesAreKeptFortyFiveDaysByDefaultAndPurgedEveryTenMinutes() {
        ConfigReader reader = new ConfigReader(Map.of());
        TombstoneConfig config = load(reader);

        assertThat(reader.problems()).isEmpty();
        assertThat(config.retentionMs()).isEqualTo(45L * 24 * 3_600_000);
        assertThat(config.purgeInterval()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.purgeBatchSize()).isEqualTo(1000);
        assertThat(config.cutoff(Instant.parse("2026-03-01T00:00:00Z")))
                .isEqualTo(Instant.parse("2026-01-15T00:00:00Z"));
    }

    @Test
    void anAgeShorterThanTheTopicRetentionIsRefusedNamingBothKeys() {
        ConfigReader reader = new ConfigReader(Map.of("kafka.topic.retention.ms", "604800000",
                "tombstone.retention.ms", "86400000"));
        load(reader);

        assertThat(reader.problems()).extracting(ConfigProblem::toString).containsExactly(
                new ConfigProblem("tombstone.retention.ms", "86400000", "it must be at least kafka.topic.retention.ms"
                        + " (604800000): a change older than a purged tombstone could still arrive from that topic"
                        + " and bring the deleted row back").toString());
    }

    @Test
    void anAgeShorterThanTheDeadLetterRetentionIsRefusedNamingBothKeys() {
        ConfigReader reader = new ConfigReader(Map.of("kafka.topic.retention.ms", "3600000",
                "kafka.dlq.retention.ms", "2592000000", "tombstone.retention.ms", "604800000"));
        load(reader);

        assertThat(reader.problems()).extracting(ConfigProblem::toString).containsExactly(
                new ConfigProblem("tombstone.retention.ms", "604800000", "it must be at least kafka.dlq.retention.ms"
                        + " (2592000000): a change older than a purged tombstone could still arrive from that topic"
                        + " and bring the deleted row back").toString());
    }

    @Test
    void anAgeEqualToBothRetentionsIsAccepted() {
        ConfigReader reader = new ConfigReader(Map.of("kafka.topic.retention.ms", "7200000",
                "kafka.dlq.retention.ms", "7200000", "tombstone.retention.ms", "7200000"));
        TombstoneConfig config = load(reader);

        assertThat(reader.problems()).isEmpty();
        assertThat(config.purges()).isTrue();
    }

    @Test
    void topicsKeptForeverAcceptOnlyTombstonesKeptForever() {
        ConfigReader refused = new ConfigReader(Map.of("kafka.topic.retention.ms", "-1"));
        load(refused);
        assertThat(refused.problems()).extracting(ConfigProblem::toString).containsExactly(
                new ConfigProblem("tombstone.retention.ms", "3888000000", "it must be -1 (keep tombstones forever)"
                        + " while kafka.topic.retention.ms is -1: a change older than a purged tombstone could still"
                        + " arrive from that topic at any time and bring the deleted row back").toString());

        ConfigReader accepted = new ConfigReader(Map.of("kafka.dlq.retention.ms", "-1",
                "tombstone.retention.ms", "-1"));
        TombstoneConfig config = load(accepted);
        assertThat(accepted.problems()).isEmpty();
        assertThat(config.purges()).isFalse();
    }

    @Test
    void anAgeUnderAnHourOrNotANumberIsRefused() {
        ConfigReader reader = new ConfigReader(Map.of("tombstone.retention.ms", "60000",
                "tombstone.purge.batch.size", "0"));
        load(reader);

        assertThat(reader.problems()).extracting(ConfigProblem::key)
                .containsExactly("tombstone.retention.ms", "tombstone.purge.batch.size");
    }
}
