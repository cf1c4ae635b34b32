package io.vectorsync.streams.topology;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.core.DeadLetterHeaders;
import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.core.config.TombstoneConfig;
import io.vectorsync.core.json.JsonSerde;
import io.vectorsync.core.kafka.RecordSizeLimit;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The enrich processor across a restart with changed configuration: changes waiting in its pending store when it
 * stopped are flushed by a processor built from the new mapping. (The topology test driver cleans its state on
 * close, so this drives the processor itself, on stores that outlive it.)
 */
class EnrichProcessorTest {
    private static final String TOPIC = "cdc.public.articles";

    private final EnrichmentMetrics metrics = new EnrichmentMetrics(new SimpleMeterRegistry());
    private final MockProcessorContext<String, Outcome> context = new MockProcessorContext<>();
    private final KeyValueStore<String, DocumentState> documents = store(EnrichmentTopology.DOCUMENTS_STORE,
            Serdes.String(), new JsonSerde<>(DocumentState.class));
    private final KeyValueStore<Long, PendingChange> pending = store(EnrichmentTopology.PENDING_STORE,
            Serdes.Long(), new JsonSerde<>(PendingChange.class));
    private final KeyValueStore<String, Long> tombstones = store(EnrichmentTopology.TOMBSTONES_STORE,
            Serdes.String(), Serdes.Long());

    {
        context.setCurrentSystemTimeMs(1_000_000);
    }

    @Test
    void mappingChangedWhileChangesWaitDeadLettersThemWithTheReasonAndLaterChangesStillFlow() {
        EnrichProcessor before = processor("id");
        process(before, 0, 1, "Hello");
        before.close();

        // Restarted with a mapping whose id column the waiting change does not carry.
        EnrichProcessor after = processor("slug");
        process(after, 1, 2, "Later");
        flush();

        List<CapturedForward<? extends String, ? extends Outcome>> out = context.forwarded();
        assertThat(out).hasSize(2);
        Record<? extends String, ? extends Outcome> dead = out.get(0).record();
        assertThat(dead.value().isDeadLetter()).isTrue();
        assertThat(dead.key()).isEqualTo("{\"id\":1}");
        assertThat(header(dead, DeadLetterHeaders.ERROR_CLASS)).endsWith("MappingException");
        assertThat(header(dead, DeadLetterHeaders.ERROR_MESSAGE)).contains("slug");
        assertThat(header(dead, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("0");
        Record<? extends String, ? extends Outcome> later = out.get(1).record();
        assertThat(later.value().isDeadLetter()).isFalse();
        assertThat(later.key()).isEqualTo("articles/later-2");
        assertThat(pending.approximateNumEntries()).isZero();
        assertThat(metrics.deadLetterCount()).isEqualTo(1);
    }

    @Test
    void providerThatCannotAnswerHoldsChangesPendingInOrderAndTheyGoOutOnceItAnswers() {
        FakeEmbeddingProvider model = new FakeEmbeddingProvider();
        EmbeddingHold hold = new EmbeddingHold(Duration.ofSeconds(30), new SimpleMeterRegistry());
        EnrichProcessor processor = processor("id", model, hold);
        model.down = true;
        process(processor, 1, 1, "First");
        process(processor, 2, 2, "Second");
        flush();

        assertThat(context.forwarded()).isEmpty();
        assertThat(pending.approximateNumEntries()).isEqualTo(2);
        assertThat(hold.warning()).hasValueSatisfying(w -> assertThat(w).contains("provider unavailable")
                .contains("HTTP 503"));
        assertThat(metrics.deadLetterCount()).isZero();

        // Not tried again before the hold's retry time, even when the model is back.
        model.down = false;
        int calls = model.calls.size();
        flush();
        assertThat(model.calls).hasSize(calls);
        assertThat(context.forwarded()).isEmpty();

        context.setCurrentSystemTimeMs(1_000_000 + 30_000);
        flush();
        assertThat(context.forwarded()).extracting(f -> (String) f.record().key())
                .containsExactly("articles/1", "articles/2");
        assertThat(context.forwarded()).allSatisfy(f -> assertThat(f.record().value().isDeadLetter()).isFalse());
        assertThat(pending.approximateNumEntries()).isZero();
        assertThat(hold.warning()).isEmpty();
        assertThat(metrics.deadLetterCount()).isZero();
    }

    private EnrichProcessor processor(String idColumn) {
        return processor(idColumn, new FakeEmbeddingProvider(),
                new EmbeddingHold(Duration.ofMillis(100), new SimpleMeterRegistry()));
    }

    private EnrichProcessor processor(String idColumn, FakeEmbeddingProvider model, EmbeddingHold hold) {
        MappingConfig mappings = MappingConfig.from(new ConfigReader(Map.of(
                "collections.articles.table", "public.articles",
                "collections.articles.id", idColumn,
                "collections.articles.template", "{title}: {body}")));
        EnrichProcessor processor = new EnrichProcessor(mappings, model, 10,
                Duration.ofMillis(100), metrics, new RecordSizeLimit(1_000_000), hold, TombstoneConfig.KEEP_FOREVER);
        processor.init(context);
        return processor;
    }

    private void process(EnrichProcessor processor, long offset, int id, String title) {
        context.setRecordMetadata(TOPIC, 0, offset);
        String after = "{\"id\":" + id + ",\"slug\":\"" + title.toLowerCase() + "-" + id + "\",\"title\":\""
                + title + "\",\"body\":\"text\"}";
        String value = "{\"before\":null,\"after\":" + (offset == 0 ? after.replaceFirst(",\"slug\":\"[^\"]*\"", "")
                : after) + ",\"op\":\"c\",\"ts_ms\":1,\"source\":{\"schema\":\"public\",\"table\":\"articles\","
                + "\"lsn\":" + (1000 + offset) + ",\"txId\":5,\"ts_ms\":1700000000000}}";
        processor.process(new Record<>("{\"id\":" + id + "}", value, 1700000000000L));
    }

    /** Runs the newest processor's wall-clock punctuator, as its max wait passing would. */
    private void flush() {
        List<MockProcessorContext.CapturedPunctuator> punctuators = context.scheduledPunctuators();
        punctuators.get(punctuators.size() - 1).getPunctuator().punctuate(System.currentTimeMillis());
    }

    private <K, V> KeyValueStore<K, V> store(String name, org.apache.kafka.common.serialization.Serde<K> keys,
                                             org.apache.kafka.common.serialization.Serde<V> values) {
        KeyValueStore<K, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), keys, values)
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }

    private static String header(Record<? extends String, ? extends Outcome> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
