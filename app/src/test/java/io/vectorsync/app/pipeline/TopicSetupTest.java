package io.vectorsync.app.pipeline;

import io.vectorsync.core.Topics;
import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.config.KafkaConfig;
import io.vectorsync.core.config.MappingConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TopicSetupTest {
    private static final KafkaConfig KAFKA = new KafkaConfig("k:9092", 2, (short) 1, new Topics("vs"), 1_000_000,
            7_200_000, -1);
    private static final MappingConfig MAPPINGS = MappingConfig.from(new ConfigReader(Map.of(
            "collections.docs.table", "public.docs", "collections.docs.id", "id",
            "collections.docs.template", "{title}", "collections.docs.sinks", "pgvector,neo4j")));

    @Test
    void topicsThatAreNotCompactedGetTheConfiguredRetentionAndTheDeadLettersTheirOwn() {
        Map<String, Map<String, String>> configs = configs();

        for (String topic : new String[]{"cdc.public.docs", "vs.sink.pgvector", "vs.sink.neo4j", "vs.heartbeat",
                "vs.backfill.requests"}) {
            assertThat(configs.get(topic)).as(topic).containsEntry("retention.ms", "7200000")
                    .containsEntry("cleanup.policy", "delete");
        }
        assertThat(configs.get("vs.dlq")).containsEntry("retention.ms", "-1").containsEntry("cleanup.policy", "delete");
    }

    @Test
    void compactedTopicsKeepEachKeysLatestAndIncludeTheMarksAndGaps() {
        Map<String, Map<String, String>> configs = configs();

        for (String topic : new String[]{"vs.control", "vs.status", "vs.backfill.progress", "vs.validation",
                "vs.dlq.marks", "vs.retention.gaps", "vs.snapshot.progress"}) {
            assertThat(configs.get(topic)).as(topic).containsEntry("cleanup.policy", "compact")
                    .doesNotContainKey("retention.ms");
        }
    }

    private static Map<String, Map<String, String>> configs() {
        Map<String, Map<String, String>> configs = new java.util.HashMap<>();
        for (TopicSetup.Spec spec : TopicSetup.specs(KAFKA, MAPPINGS)) {
            NewTopic t = spec.newTopic(KAFKA);
            configs.put(t.name(), t.configs());
        }
        return configs;
    }
}
