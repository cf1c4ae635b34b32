package io.vectorsync.sink.runner;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.core.DeadLetterHeaders;
import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode;
import io.vectorsync.core.model.StorageMode.Delivery;
import io.vectorsync.sink.api.ApplyResult;
import io.vectorsync.sink.api.Sink;
import io.vectorsync.sink.api.SinkUnavailableException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class BatchApplierTest {
    private static final String TOPIC = "p.sink.pgvector";

    private final SinkMetrics metrics = new SinkMetrics(SinkName.PGVECTOR, new SimpleMeterRegistry());
    private final MockProducer<String, String> producer = new MockProducer<>(true, null, new StringSerializer(),
            new StringSerializer());
    private final List<Duration> waits = new ArrayList<>();
    private final FlakySink sink = new FlakySink();
    private int stopAfterWaits = Integer.MAX_VALUE;
    private SourcePosition source = SourcePosition.NONE;
    /** The modes in force as the sink process sees them; collection c migrates from neo4j to pgvector, in SHADOW. */
    private final Map<String, ModeStatus> modes = new HashMap<>(Map.of("c", status(StorageMode.SHADOW, 1)));

    @Test
    void bestEffortChangesAreDeadLetteredAfterTheAttemptsAndTheBatchIsDone() {
        sink.failuresLeft = Integer.MAX_VALUE;
        SinkBatch batch = batch(record(0, "a", "best_effort"), record(1, "b", "best_effort"));

        assertThat(applier().applyUntilDone(batch)).isTrue();

        assertThat(sink.attempts).isEqualTo(3);
        assertThat(sink.applied).isEmpty();
        assertThat(producer.history()).extracting(ProducerRecord::key).containsExactly("c/a", "c/b");
        assertThat(producer.history()).allSatisfy(dlq -> {
            assertThat(header(dlq, DeadLetterHeaders.ERROR_CLASS))
                    .isEqualTo(BestEffortDroppedException.class.getName());
            assertThat(header(dlq, DeadLetterHeaders.ERROR_MESSAGE)).isEqualTo("pgvector sink: best-effort change"
                    + " dropped: the store was unavailable after 3 attempts (pgvector sink is down)");
            assertThat(header(dlq, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(TOPIC);
        });
        assertThat(header(producer.history().get(1), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("1");
        assertThat(metrics.droppedCount()).isEqualTo(2);
        assertThat(metrics.retriedCount()).isEqualTo(3);
        // Two waits between the three attempts; none after giving up.
        assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void requiredChangesAreRetriedUntilTheStoreIsBackAndNeverDeadLettered() {
        sink.failuresLeft = 6;
        SinkBatch batch = batch(record(0, "a", "required"), record(1, "b", null));

        assertThat(applier().applyUntilDone(batch)).isTrue();

        assertThat(sink.attempts).isEqualTo(7);
        assertThat(sink.applied).singleElement().satisfies(applied ->
                assertThat(applied).extracting(EnrichedChange::id).containsExactly("a", "b"));
        assertThat(producer.history()).isEmpty();
        assertThat(metrics.droppedCount()).isZero();
        assertThat(metrics.writtenCount()).isEqualTo(2);
        assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
                Duration.ofMillis(400), Duration.ofMillis(400), Duration.ofMillis(400));
    }

    @Test
    void requiredChangesAreHeldWhileTheStoreStaysDownUntilTheWorkerStops() {
        sink.failuresLeft = Integer.MAX_VALUE;
        stopAfterWaits = 20;

        assertThat(applier().applyUntilDone(batch(record(0, "a", "required")))).isFalse();

        assertThat(sink.attempts).isEqualTo(20);
        assertThat(sink.applied).isEmpty();
        assertThat(producer.history()).isEmpty();
        assertThat(metrics.droppedCount()).isZero();
    }

    @Test
    void mixedBatchDeadLettersTheBestEffortPartAndRetriesOnlyTheRequiredRest() {
        sink.failuresLeft = 5;
        SinkBatch batch = batch(record(0, "r1", "required"), record(1, "b1", "best_effort"), record(2, "r2", null),
                record(3, "b2", "best_effort"));

        assertThat(applier().applyUntilDone(batch)).isTrue();

        assertThat(sink.batchesTried.subList(0, 3)).allSatisfy(tried ->
                assertThat(tried).extracting(EnrichedChange::id).containsExactly("r1", "b1", "r2", "b2"));
        assertThat(sink.batchesTried.subList(3, 6)).allSatisfy(tried ->
                assertThat(tried).extracting(EnrichedChange::id).containsExactly("r1", "r2"));
        assertThat(sink.applied).singleElement().satisfies(applied ->
                assertThat(applied).extracting(EnrichedChange::id).containsExactly("r1", "r2"));
        assertThat(producer.history()).extracting(ProducerRecord::key).containsExactly("c/b1", "c/b2");
        assertThat(metrics.droppedCount()).isEqualTo(2);
        assertThat(metrics.writtenCount()).isEqualTo(2);
    }

    @Test
    void rejectedChangesAreDeadLetteredWhateverTheirDelivery() {
        sink.rejectIds = List.of("r", "b");
        SinkBatch batch = batch(record(0, "r", "required"), record(1, "b", "best_effort"), record(2, "ok", null));

        assertThat(applier().applyUntilDone(batch)).isTrue();

        assertThat(producer.history()).extracting(ProducerRecord::key).containsExactly("c/r", "c/b");
        assertThat(producer.history()).allSatisfy(dlq -> {
            assertThat(header(dlq, DeadLetterHeaders.ERROR_CLASS)).isEqualTo(RejectedChangeException.class.getName());
            assertThat(header(dlq, DeadLetterHeaders.ERROR_MESSAGE)).startsWith("rejected ");
        });
        assertThat(metrics.failedCount()).isEqualTo(2);
        assertThat(metrics.droppedCount()).isZero();
        assertThat(sink.attempts).isEqualTo(1);
    }

    @Test
    void bestEffortRecordRoutedUnderShadowIsRetriedNotDroppedOnceTheStatusSaysCutover() {
        modes.put("c", status(StorageMode.CUTOVER, 2));
        sink.failuresLeft = 5;

        assertThat(applier().applyUntilDone(batch(routed(0, "a", "best_effort", "SHADOW", 1)))).isTrue();

        assertThat(producer.history()).as("dead letters").isEmpty();
        assertThat(metrics.droppedCount()).isZero();
        assertThat(sink.attempts).isEqualTo(6);
        assertThat(sink.applied).singleElement().satisfies(applied ->
                assertThat(applied).extracting(EnrichedChange::id).containsExactly("a"));
    }

    @Test
    void bestEffortRecordRoutedUnderShadowIsDroppedAsBeforeWhileTheStatusStillSaysShadow() {
        sink.failuresLeft = Integer.MAX_VALUE;

        assertThat(applier().applyUntilDone(batch(routed(0, "a", "best_effort", "SHADOW", 1)))).isTrue();

        assertThat(sink.attempts).isEqualTo(3);
        assertThat(producer.history()).extracting(ProducerRecord::key).containsExactly("c/a");
        assertThat(metrics.droppedCount()).isEqualTo(1);
    }

    @Test
    void bestEffortRecordOfACollectionWhoseModeIsUnknownIsRetriedAndNeverDropped() {
        modes.clear();
        sink.failuresLeft = Integer.MAX_VALUE;
        stopAfterWaits = 20;

        assertThat(applier().applyUntilDone(batch(routed(0, "a", "best_effort", "SHADOW", 1)))).isFalse();

        assertThat(sink.attempts).isEqualTo(20);
        assertThat(producer.history()).as("dead letters").isEmpty();
        assertThat(metrics.droppedCount()).isZero();
    }

    @Test
    void bestEffortRecordRoutedUnderAStatusTheSinkHasNotReadYetIsRetriedUntilTheStoreTakesIt() {
        // Routed under epoch 3; the sink process still knows epoch 1 only, so it cannot tell what is in force.
        sink.failuresLeft = 5;

        assertThat(applier().applyUntilDone(batch(routed(0, "a", "best_effort", "SHADOW", 3)))).isTrue();

        assertThat(producer.history()).as("dead letters").isEmpty();
        assertThat(sink.applied).singleElement().satisfies(applied ->
                assertThat(applied).extracting(EnrichedChange::id).containsExactly("a"));
    }

    @Test
    void theModeIsReadAgainAtEveryDropDecisionSoACutoverDuringTheRetriesKeepsTheRest() {
        sink.failuresLeft = 7;
        // SHADOW for the first three attempts: a is dropped; then the status says CUTOVER before b arrives.
        BatchApplier applier = applier();
        assertThat(applier.applyUntilDone(batch(routed(0, "a", "best_effort", "SHADOW", 1)))).isTrue();
        modes.put("c", status(StorageMode.CUTOVER, 2));

        assertThat(applier.applyUntilDone(batch(routed(1, "b", "best_effort", "SHADOW", 1)))).isTrue();

        assertThat(producer.history()).extracting(ProducerRecord::key).containsExactly("c/a");
        assertThat(sink.applied).singleElement().satisfies(applied ->
                assertThat(applied).extracting(EnrichedChange::id).containsExactly("b"));
    }

    @Test
    void aChangeFarAheadOfTheSourcesWalPositionIsDeadLetteredAndTheRestApplied() {
        source = () -> OptionalLong.of(500);
        // LSN 10 + offset: 100,000,010 is far more than 16 MiB above the source's position 500.
        SinkBatch batch = batch(record(0, "a", null), record(100_000_000, "forged", null));

        assertThat(applier().applyUntilDone(batch)).isTrue();

        assertThat(sink.applied).singleElement().satisfies(applied ->
                assertThat(applied).extracting(EnrichedChange::id).containsExactly("a"));
        assertThat(producer.history()).singleElement().satisfies(dlq -> {
            assertThat(dlq.key()).isEqualTo("c/forged");
            assertThat(header(dlq, DeadLetterHeaders.ERROR_CLASS)).isEqualTo(ImplausibleLsnException.class.getName());
            assertThat(header(dlq, DeadLetterHeaders.ERROR_MESSAGE)).isEqualTo("LSN 100000010 is ahead of the"
                    + " source's current WAL position 500 by 99999510 bytes, more than sink.lsn.max.ahead.bytes"
                    + " (16777216): a forged or corrupt record, which would freeze document 'c/forged' behind its"
                    + " LSN guard");
        });
    }

    @Test
    void whenTheSourceCannotBeAskedEveryChangeIsApplied() {
        source = OptionalLong::empty;

        assertThat(applier().applyUntilDone(batch(record(100_000_000, "far", null)))).isTrue();

        assertThat(sink.applied).hasSize(1);
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void anEmptyBatchIsDoneWithoutTouchingTheStore() {
        sink.failuresLeft = Integer.MAX_VALUE;

        assertThat(applier().applyUntilDone(batch())).isTrue();

        assertThat(sink.attempts).isZero();
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private BatchApplier applier() {
        ConfigReader reader = new ConfigReader(Map.of(
                "sink.retry.backoff.initial.ms", "100",
                "sink.retry.backoff.max.ms", "400",
                "sink.retry.max.attempts", "3"));
        SinkWorkerConfig config = SinkWorkerConfig.from(reader);
        reader.finish();
        return new BatchApplier(sink, config, metrics, new DeadLetterPublisher(producer, "p.dlq"), waits::add,
                () -> waits.size() < stopAfterWaits, collection -> Optional.ofNullable(modes.get(collection)), source);
    }

    private static SinkBatch batch(ConsumerRecord<String, String>... records) {
        return SinkBatch.read(List.of(records), (r, e) -> {
            throw new AssertionError("unreadable " + r, e);
        });
    }

    /** A record routed under collection c's status of epoch 1. */
    static ConsumerRecord<String, String> record(long offset, String id, String delivery) {
        return routed(offset, id, delivery, null, 1);
    }

    /** A sink-topic record as routing writes it: with the mode and the epoch of the status it was routed under. */
    static ConsumerRecord<String, String> routed(long offset, String id, String delivery, String mode, Integer epoch) {
        EnrichedChange change = new EnrichedChange("c", id, EnrichedChange.Kind.UPSERT, "text " + id, Map.of(), null,
                "m", "h", 10 + offset, 1000 + offset);
        RecordHeaders headers = new RecordHeaders();
        if (delivery != null) {
            headers.add(Delivery.HEADER, delivery.getBytes(StandardCharsets.UTF_8));
        }
        if (mode != null) {
            headers.add("vectorsync.mode", mode.getBytes(StandardCharsets.UTF_8));
        }
        if (epoch != null) {
            headers.add(ModeStatus.EPOCH_HEADER, epoch.toString().getBytes(StandardCharsets.UTF_8));
        }
        return new ConsumerRecord<>(TOPIC, 0, offset, 0L, TimestampType.CREATE_TIME, -1, -1, change.documentKey(),
                Json.write(change), headers, Optional.empty());
    }

    /** Collection c's status: migrating from neo4j (legacy) to pgvector (target, the store under test). */
    static ModeStatus status(StorageMode mode, long epoch) {
        return new ModeStatus("c", mode, epoch, SinkName.NEO4J, SinkName.PGVECTOR, 0, "test", "test", false, null,
                null);
    }

    private static String header(ProducerRecord<String, String> record, String key) {
        Header h = record.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Unavailable for the first {@code failuresLeft} attempts, then applies everything but {@code rejectIds}. */
    private static final class FlakySink implements Sink {
        int failuresLeft;
        int attempts;
        List<String> rejectIds = List.of();
        final List<List<EnrichedChange>> batchesTried = new ArrayList<>();
        final List<List<EnrichedChange>> applied = new ArrayList<>();

        @Override
        public SinkName name() {
            return SinkName.PGVECTOR;
        }

        @Override
        public void prepare(CollectionMapping collection) {
        }

        @Override
        public ApplyResult apply(List<EnrichedChange> batch) throws SinkUnavailableException {
            attempts++;
            batchesTried.add(List.copyOf(batch));
            if (failuresLeft > 0) {
                failuresLeft--;
                throw new SinkUnavailableException("pgvector sink is down", null);
            }
            applied.add(List.copyOf(batch));
            List<ApplyResult.Rejected> rejected = new ArrayList<>();
            for (String id : rejectIds) {
                batch.stream().filter(c -> c.id().equals(id)).findFirst()
                        .ifPresent(c -> rejected.add(new ApplyResult.Rejected(c, "rejected " + id)));
            }
            return new ApplyResult(batch.size() - rejected.size(), 0, rejected);
        }

        @Override
        public int purgeTombstones(String collection, Instant deletedBefore, int limit) {
            return 0;
        }

        @Override
        public void close() {
        }
    }
}
