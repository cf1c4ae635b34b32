package io.vectorsync.sink.runner;

import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode;
import io.vectorsync.core.model.StorageMode.Delivery;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static io.vectorsync.sink.runner.BatchApplierTest.routed;
import static io.vectorsync.sink.runner.BatchApplierTest.status;
import static org.assertj.core.api.Assertions.assertThat;

/** Collection c migrates from neo4j (legacy) to pgvector (target); the decisions are pgvector's unless said. */
class ApplyTimeDeliveryTest {

    @ParameterizedTest(name = "routed best effort at epoch 2, status now {0} at epoch 2 -> {1}")
    @CsvSource({
            "DUAL_WRITE, BEST_EFFORT",
            "SHADOW, BEST_EFFORT",
            "CUTOVER, REQUIRED",
            "TARGET_ONLY, REQUIRED",
            // A rollback to SOURCE_ONLY stops writing the target: the change is as optional as it was routed.
            "SOURCE_ONLY, BEST_EFFORT"})
    void bestEffortChangeTakesTheTargetDeliveryOfTheModeInForce(StorageMode now, Delivery expected) {
        assertThat(decide(SinkName.PGVECTOR, status(now, 2), entry("best_effort", "2"))).isEqualTo(expected);
    }

    @Test
    void aLaterStatusDecidesEvenIfTheChangeWasRoutedUnderAnEarlierOne() {
        assertThat(decide(SinkName.PGVECTOR, status(StorageMode.CUTOVER, 5), entry("best_effort", "2")))
                .isEqualTo(Delivery.REQUIRED);
        assertThat(decide(SinkName.PGVECTOR, status(StorageMode.SHADOW, 5), entry("best_effort", "2")))
                .isEqualTo(Delivery.BEST_EFFORT);
    }

    @Test
    void aChangeRoutedRequiredStaysRequiredWhateverTheModeNowSays() {
        assertThat(decide(SinkName.PGVECTOR, status(StorageMode.SHADOW, 9), entry("required", "2")))
                .isEqualTo(Delivery.REQUIRED);
        assertThat(decide(SinkName.PGVECTOR, status(StorageMode.SOURCE_ONLY, 9), entry(null, "2")))
                .isEqualTo(Delivery.REQUIRED);
    }

    @Test
    void anUnknownModeNeverLetsAChangeBeDropped() {
        SinkBatch.Entry entry = entry("best_effort", "2");
        assertThat(new ApplyTimeDelivery(SinkName.PGVECTOR, CurrentModes.UNKNOWN).of(entry))
                .isEqualTo(Delivery.REQUIRED);
    }

    @Test
    void aStatusOlderThanTheOneTheChangeWasRoutedUnderIsNotTrusted() {
        assertThat(decide(SinkName.PGVECTOR, status(StorageMode.SHADOW, 1), entry("best_effort", "2")))
                .isEqualTo(Delivery.REQUIRED);
    }

    @Test
    void aChangeWithoutAReadableEpochIsNotDropped() {
        assertThat(decide(SinkName.PGVECTOR, status(StorageMode.SHADOW, 1), entry("best_effort", null)))
                .isEqualTo(Delivery.REQUIRED);
        assertThat(decide(SinkName.PGVECTOR, status(StorageMode.SHADOW, 1), entry("best_effort", "x")))
                .isEqualTo(Delivery.REQUIRED);
    }

    @Test
    void aStatusThatNamesOtherStoresSaysNothingAboutThisOne() {
        assertThat(decide(SinkName.MILVUS, status(StorageMode.SHADOW, 2), entry("best_effort", "2")))
                .isEqualTo(Delivery.REQUIRED);
    }

    @Test
    void theLegacyStoreTakesTheLegacyDeliveryOfTheModeInForce() {
        // Legacy is never routed best effort today; should it be, the mode in force decides for it too.
        assertThat(decide(SinkName.NEO4J, status(StorageMode.TARGET_ONLY, 2), entry("best_effort", "2")))
                .isEqualTo(Delivery.BEST_EFFORT);
        assertThat(decide(SinkName.NEO4J, status(StorageMode.CUTOVER, 2), entry("best_effort", "2")))
                .isEqualTo(Delivery.REQUIRED);
    }

    private static Delivery decide(SinkName sink, ModeStatus status, SinkBatch.Entry entry) {
        return new ApplyTimeDelivery(sink, collection -> Optional.of(status).filter(s -> s.collection()
                .equals(collection))).of(entry);
    }

    private static SinkBatch.Entry entry(String delivery, String epoch) {
        ConsumerRecord<String, String> record = routed(0, "a", delivery, "SHADOW", null);
        if (epoch != null) {
            record.headers().add(ModeStatus.EPOCH_HEADER, epoch.getBytes(StandardCharsets.UTF_8));
        }
        return SinkBatch.read(List.of(record), (r, e) -> {
            throw new AssertionError(e);
        }).entries().get(0);
    }
}
