package io.vectorsync.drill;

import io.vectorsync.core.DeadLetterHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterReasonsTest {
    private final DeadLetterReasons reasons = new DeadLetterReasons();

    private static ConsumerRecord<String, String> deadLetter(String key, String value, Exception reason,
                                                             String topic, int partition, long offset) {
        return new ConsumerRecord<>("drill.dlq", 0, 0, 0, TimestampType.CREATE_TIME, 0, 0, key, value,
                DeadLetterHeaders.of(reason, topic, partition, offset), Optional.empty());
    }

    @Test
    void aPoisonRecordIsExplainedByItsOwnTopicPartitionAndOffsetOnly() {
        reasons.expectPoison("cdc.public.articles", 1, 42);

        assertThat(reasons.explain(deadLetter("poison", "{", new IllegalArgumentException("not JSON"),
                "cdc.public.articles", 1, 42)).explained()).isTrue();
        assertThat(reasons.explain(deadLetter("poison", "{", new IllegalArgumentException("not JSON"),
                "cdc.public.articles", 1, 43)).explained()).isFalse();
    }

    @Test
    void aHostileRowIsExplainedOnlyWithAReasonThatNamesItsFault() {
        DeadLetterReasons.Hostile row = new DeadLetterReasons.Hostile("hostile-invalid-text-1000000", 1_000_000,
                FaultKind.INVALID_TEXT, List.of("milvus cannot store"));
        reasons.expectHostile(row);
        String value = "{\"content\":\"hostile-invalid-text-1000000: the drill writes...\"}";

        DeadLetterReasons.Verdict refused = reasons.explain(deadLetter("articles/1000000", value,
                new IllegalStateException("milvus cannot store change articles/1000000: its content is 70000 bytes"),
                "drill.sink.milvus", 0, 7));
        DeadLetterReasons.Verdict other = reasons.explain(deadLetter("articles/1000000", value,
                new IllegalStateException("Neo4j refused change articles/1000000"), "drill.sink.neo4j", 0, 7));

        assertThat(refused.explained()).isTrue();
        assertThat(DeadLetterReasons.explains(List.of(refused), row)).isTrue();
        assertThat(other.explained()).isFalse();
        assertThat(other.description()).startsWith("unexplained dead letter from drill.sink.neo4j/0@7");
        assertThat(DeadLetterReasons.explains(List.of(other), row)).isFalse();
    }

    @Test
    void aHostileRowIsFoundByCollectionAndIdOnlyAmongArticles() {
        reasons.expectHostile(new DeadLetterReasons.Hostile("m", 1_000_001, FaultKind.ROW_2MB, List.of("bytes")));

        assertThat(reasons.hostile("articles_ab12", "1000001")).isPresent();
        assertThat(reasons.hostile("notes_ab12", "1000001")).isEmpty();
        assertThat(reasons.hostile("articles_ab12", "1000002")).isEmpty();
    }
}
