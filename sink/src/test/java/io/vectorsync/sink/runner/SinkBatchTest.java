package io.vectorsync.sink.runner;

import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.core.model.StorageMode.Delivery;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.vectorsync.sink.runner.BatchApplierTest.record;
import static org.assertj.core.api.Assertions.assertThat;

class SinkBatchTest {

    @Test
    void readsTheDeliveryHeaderAndTakesAnythingElseAsRequired() {
        SinkBatch batch = SinkBatch.read(List.of(record(0, "a", "best_effort"), record(1, "b", "required"),
                record(2, "c", null), record(3, "d", "BEST-EFFORT")), (r, e) -> {
            throw new AssertionError(e);
        });

        assertThat(batch.entries()).extracting(SinkBatch.Entry::delivery).containsExactly(Delivery.BEST_EFFORT,
                Delivery.REQUIRED, Delivery.REQUIRED, Delivery.REQUIRED);
    }

    @Test
    void withoutLeavesOutTheGivenEntriesAndKeepsTheOrderOfTheRest() {
        SinkBatch batch = SinkBatch.read(List.of(record(0, "a", null), record(1, "b", null), record(2, "c", null)),
                (r, e) -> {
                    throw new AssertionError(e);
                });

        SinkBatch rest = batch.without(List.of(batch.entries().get(1)));

        assertThat(rest.changes()).extracting(EnrichedChange::id).containsExactly("a", "c");
        assertThat(rest.origin(rest.changes().get(1))).isSameAs(batch.entries().get(2).origin());
    }

    @Test
    void skipsTombstonesAndHandsOverRecordsThatAreNotAChange() {
        ConsumerRecord<String, String> tombstone = new ConsumerRecord<>("t", 0, 5, "c/x", null);
        ConsumerRecord<String, String> garbage = new ConsumerRecord<>("t", 0, 6, "c/y", "{not json");
        List<ConsumerRecord<String, String>> unreadable = new ArrayList<>();

        SinkBatch batch = SinkBatch.read(List.of(record(0, "a", null), tombstone, garbage),
                (r, e) -> unreadable.add(r));

        assertThat(batch.changes()).extracting(EnrichedChange::id).containsExactly("a");
        assertThat(unreadable).containsExactly(garbage);
    }

    @Test
    void findsTheRecordOfEachChange() {
        ConsumerRecord<String, String> first = record(7, "a", null);
        ConsumerRecord<String, String> second = record(8, "b", "best_effort");
        SinkBatch batch = SinkBatch.read(List.of(first, second), (r, e) -> {
        });

        assertThat(batch.origin(batch.changes().get(1))).isSameAs(second);
        assertThat(batch.origin(batch.changes().get(0))).isSameAs(first);
    }
}
