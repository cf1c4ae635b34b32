package io.vectorsync.store.pgvector;

import io.vectorsync.core.DeadLetterHeaders;
import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode;
import io.vectorsync.core.model.StorageMode.Delivery;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.sink.contract.Documents;
import io.vectorsync.sink.contract.WorkerHarness;
import io.vectorsync.sink.runner.BestEffortDroppedException;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import io.vectorsync.testkit.TcpProxy;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.vectorsync.sink.contract.Documents.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sink worker with pgvector cut off by a proxy: best-effort changes (a target in DUAL_WRITE or SHADOW, the
 * mode in force here) are dead-lettered after the attempts and the group moves on; required changes are held until the store is back.
 * The worker retries 3 times, 100 ms doubling to 1 s ({@link WorkerHarness}).
 */
@ExtendWith(LocalServers.class)
class BestEffortDeliveryIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static Services servers;
    private static String database;

    private final String collection = "best_effort_" + Services.uniqueSuffix();
    private TcpProxy proxy;
    private WorkerHarness worker;
    private SinkReader reader;

    @BeforeAll
    static void freshDatabase() throws SQLException {
        servers = LocalServers.get();
        database = servers.freshDatabase("best_effort");
    }

    /** A worker that has prepared its collection and applied one change through the proxy: the store is up. */
    @BeforeEach
    void startWorker() throws Exception {
        proxy = TcpProxy.to(servers.pgHost(), servers.pgPort());
        reader = new PgvectorReader(config(servers.jdbcUrl(database)));
        worker = new WorkerHarness(SinkName.PGVECTOR, collection);
        worker.produce(List.of(change("warm-up", 1)));
        worker.start(new PgvectorSink(config("jdbc:postgresql://" + proxy.host() + ":" + proxy.port() + "/"
                + database), Documents.DIM), this::shadow);
        await().atMost(WAIT).until(() -> worker.committed() == 1);
    }

    @AfterEach
    void stop() throws InterruptedException {
        worker.close();
        proxy.close();
        reader.close();
    }

    @Test
    void bestEffortChangesAreDeadLetteredAfterTheAttemptsAndTheGroupMovesPastThem() throws Exception {
        proxy.cut();
        List<EnrichedChange> bestEffort = changes("b", 5);
        worker.produce(bestEffort, c -> Delivery.BEST_EFFORT);

        await().atMost(WAIT).until(() -> worker.committed() == 6);

        List<ConsumerRecord<String, String>> deadLetters = worker.deadLetters(5);
        assertThat(deadLetters).extracting(ConsumerRecord::key)
                .containsExactlyElementsOf(bestEffort.stream().map(EnrichedChange::documentKey).toList());
        assertThat(deadLetters).allSatisfy(r -> {
            assertThat(WorkerHarness.header(r, DeadLetterHeaders.ERROR_CLASS))
                    .isEqualTo(BestEffortDroppedException.class.getName());
            assertThat(WorkerHarness.header(r, DeadLetterHeaders.ERROR_MESSAGE))
                    .startsWith("pgvector sink: best-effort change dropped: the store was unavailable after 3"
                            + " attempts (pgvector sink ");
            assertThat(WorkerHarness.header(r, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(worker.sinkTopic());
        });
        assertThat(worker.metrics().droppedCount()).isEqualTo(5);
        assertThat(worker.metrics().retriedCount()).isEqualTo(3);
        assertThat(worker.isRunning()).isTrue();

        // The worker goes on: the next change lands once the store is back.
        proxy.restore();
        EnrichedChange after = change("after", 100);
        worker.produce(List.of(after), c -> Delivery.REQUIRED);
        await().atMost(WAIT).until(() -> worker.committed() == 7);
        Documents.assertStored(reader, after);
        assertThat(reader.count(collection)).isEqualTo(2);
    }

    @Test
    void requiredChangesAreHeldWhileTheStoreIsDownAndAppliedWhenItReturns() throws Exception {
        proxy.cut();
        List<EnrichedChange> required = changes("r", 5);
        worker.produce(required.subList(0, 3), c -> Delivery.REQUIRED);
        worker.produce(required.subList(3, 5));

        // Well past the 3 attempts after which best-effort changes would have been dropped.
        await().atMost(WAIT).until(() -> worker.metrics().retriedCount() >= 6);
        assertThat(worker.committed()).isEqualTo(1);
        assertThat(worker.metrics().droppedCount()).isZero();
        assertThat(worker.metrics().failedCount()).isZero();
        assertThat(worker.isRunning()).isTrue();

        proxy.restore();
        await().atMost(WAIT).until(() -> worker.committed() == 6);
        for (EnrichedChange change : required) {
            Documents.assertStored(reader, change);
        }
        assertThat(reader.count(collection)).isEqualTo(6);
        assertThat(worker.metrics().droppedCount()).isZero();
    }

    @Test
    void mixedBatchDeadLettersItsBestEffortChangesAndHoldsItsRequiredOnes() throws Exception {
        proxy.cut();
        List<EnrichedChange> mixed = changes("m", 6);
        Set<String> bestEffortIds = Set.of("m-1", "m-3", "m-5");
        worker.produce(mixed, c -> bestEffortIds.contains(c.id()) ? Delivery.BEST_EFFORT : Delivery.REQUIRED);

        await().atMost(WAIT).until(() -> worker.metrics().droppedCount() == 3);
        List<ConsumerRecord<String, String>> deadLetters = worker.deadLetters(3);
        assertThat(deadLetters).extracting(ConsumerRecord::key)
                .containsExactly(collection + "/m-1", collection + "/m-3", collection + "/m-5");
        assertThat(deadLetters).allSatisfy(r -> assertThat(WorkerHarness.header(r, DeadLetterHeaders.ERROR_CLASS))
                .isEqualTo(BestEffortDroppedException.class.getName()));
        // The required half holds the whole batch's offsets.
        assertThat(worker.committed()).isEqualTo(1);
        assertThat(reader.count(collection)).isEqualTo(1);

        proxy.restore();
        await().atMost(WAIT).until(() -> worker.committed() == 7);
        for (EnrichedChange change : mixed) {
            if (bestEffortIds.contains(change.id())) {
                assertThat(reader.find(collection, change.id())).as(change.id()).isEmpty();
            } else {
                Documents.assertStored(reader, change);
            }
        }
        assertThat(reader.count(collection)).isEqualTo(4);
        assertThat(worker.metrics().droppedCount()).isEqualTo(3);
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /** The mode in force: the collection migrates from neo4j to pgvector and is in SHADOW, pgvector best effort. */
    private Optional<ModeStatus> shadow(String name) {
        return Optional.of(new ModeStatus(name, StorageMode.SHADOW, Long.parseLong(WorkerHarness.ROUTED_EPOCH),
                SinkName.NEO4J, SinkName.PGVECTOR, 0, "test", "shadow", false, null, null))
                .filter(s -> s.collection().equals(collection));
    }

    /** Small changes without a vector, so a whole produce() fits one Kafka batch and one poll. */
    private List<EnrichedChange> changes(String prefix, int n) {
        List<EnrichedChange> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(change(prefix + "-" + i, 10 + i));
        }
        return out;
    }

    private EnrichedChange change(String id, long lsn) {
        return upsert(collection, id, "", Map.of("id", id), null, lsn);
    }

    private static PgvectorSinkConfig config(String url) {
        ConfigReader reader = new ConfigReader(Map.of("sink.pgvector.url", url));
        PgvectorSinkConfig config = PgvectorSinkConfig.from(reader);
        reader.finish();
        return config;
    }
}
