package io.vectorsync.app.dlq;

import io.vectorsync.core.DeadLetterHeaders;
import io.vectorsync.core.Topics;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.TableId;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterOriginTest {
    private static final Topics TOPICS = new Topics("vs");

    @Test
    void aSinkDeadLetterNamesItsStoreCollectionAndDocument() {
        EnrichedChange change = new EnrichedChange("articles", "7", EnrichedChange.Kind.UPSERT, "text", Map.of(),
                new float[]{1f}, "m", "h", 100, 1);
        DeadLetter letter = letter("\"7\"", Json.write(change), TOPICS.sink(SinkName.PGVECTOR), 1, 5);

        DeadLetterOrigin origin = DeadLetterOrigin.of(letter, TOPICS, mappings());

        assertThat(origin.stage()).isEqualTo(Stage.SINK);
        assertThat(origin.stageLabel()).isEqualTo("sink:pgvector");
        assertThat(origin.collections()).containsExactly("articles");
        assertThat(origin.document()).isEqualTo("7");
        assertThat(origin.table()).isEmpty();
    }

    @Test
    void aStreamsDeadLetterNamesItsTableTheCollectionsOnItAndTheRowKey() {
        DeadLetter letter = letter("{\"id\":7,\"lang\":\"en\"}", "{}", "cdc.public.docs", 0, 3);

        DeadLetterOrigin origin = DeadLetterOrigin.of(letter, TOPICS, mappings());

        assertThat(origin.stage()).isEqualTo(Stage.STREAMS);
        assertThat(origin.table()).contains(new TableId("public", "docs"));
        assertThat(origin.collections()).containsExactly("articles", "summaries");
        assertThat(origin.sourceKey()).containsExactly(Map.entry("id", "7"), Map.entry("lang", "en"));
        assertThat(origin.keyColumns()).containsExactly("id", "lang");
        assertThat(origin.document()).isEqualTo("id=7,lang=en");
    }

    @Test
    void aDeadLetterWithoutASourcePartitionComesFromTheConnector() {
        DeadLetter letter = letter("{\"schema\":{},\"payload\":{\"id\":9}}", "{}", "cdc.public.docs", -1, -1);

        DeadLetterOrigin origin = DeadLetterOrigin.of(letter, TOPICS, mappings());

        assertThat(origin.stage()).isEqualTo(Stage.CONNECTOR);
        assertThat(origin.sourceKey()).containsExactly(Map.entry("id", "9"));
    }

    @Test
    void aDeadLetterFromAnotherTopicIsUnknownAndAnUnreadableKeyNamesNoRow() {
        assertThat(DeadLetterOrigin.of(letter("k", "v", "other.topic", 0, 0), TOPICS, mappings()).stage())
                .isEqualTo(Stage.UNKNOWN);
        assertThat(DeadLetterOrigin.of(letter("not json", "v", "cdc.public.docs", 0, 0), TOPICS, mappings())
                .sourceKey()).isEmpty();
        assertThat(DeadLetterOrigin.of(letter("{\"id\":null}", "v", "cdc.public.docs", 0, 0), TOPICS, mappings())
                .sourceKey()).isEmpty();
    }

    @Test
    void theFilterMatchesCollectionReasonSubstringAndCoordinatesTogether() {
        DeadLetter letter = letter("{\"id\":7}", "{}", "cdc.public.docs", 0, 3);
        DeadLetterOrigin origin = DeadLetterOrigin.of(letter, TOPICS, mappings());

        assertThat(new DeadLetterFilter(null, null, Set.of()).matches(letter, origin)).isTrue();
        assertThat(new DeadLetterFilter("summaries", "TOO LONG", Set.of()).matches(letter, origin)).isTrue();
        assertThat(new DeadLetterFilter(null, "IllegalState", Set.of()).matches(letter, origin)).isTrue();
        assertThat(new DeadLetterFilter("other", null, Set.of()).matches(letter, origin)).isFalse();
        assertThat(new DeadLetterFilter(null, "constraint", Set.of()).matches(letter, origin)).isFalse();
        assertThat(new DeadLetterFilter(null, null, Set.of("vs.dlq/1/12")).matches(letter, origin)).isTrue();
        assertThat(new DeadLetterFilter(null, null, Set.of("vs.dlq/1/13")).matches(letter, origin)).isFalse();
    }

    private static DeadLetter letter(String key, String value, String sourceTopic, int partition, long offset) {
        RecordHeaders headers = (RecordHeaders) DeadLetterHeaders.of(new IllegalStateException("text too long"),
                sourceTopic, partition, offset);
        ConsumerRecord<String, String> r = new ConsumerRecord<>("vs.dlq", 1, 12, 1_000L, TimestampType.CREATE_TIME,
                -1, -1, key, value, headers, Optional.empty());
        return DeadLetter.of(r);
    }

    private static MappingConfig mappings() {
        Map<String, String> raw = Map.of(
                "collections.articles.table", "public.docs", "collections.articles.id", "id",
                "collections.articles.template", "{title}",
                "collections.summaries.table", "public.docs", "collections.summaries.id", "id",
                "collections.summaries.template", "{body}",
                "collections.other.table", "public.others", "collections.other.id", "id",
                "collections.other.template", "{body}");
        return MappingConfig.from(new ConfigReader(raw));
    }
}
