package io.vectorsync.store.pgvector;

import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.sink.contract.Documents;
import io.vectorsync.sink.contract.WorkerHarness;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import io.vectorsync.testkit.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.vectorsync.sink.contract.Documents.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Kafka broker stops answering (frozen with SIGSTOP: connections stay open, nothing comes back) while a sink
 * worker holds a batch its store could not take: the store comes back first, the worker applies the batch, and Kafka
 * does not take the offsets within the commit timeout. The worker must go on (found by ServerRestartIT
 * under load: a broker restart that took longer than the commit's 60 s stopped the Neo4j and Milvus workers for good
 * with {@code TimeoutException: Timeout of 60000ms expired before successfully committing offsets}).
 */
@ExtendWith(LocalServers.class)
class KafkaOutageIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static Services servers;
    private static String database;

    private final String collection = "kafka_outage_" + Services.uniqueSuffix();
    private TcpProxy proxy;
    private WorkerHarness worker;
    private SinkReader reader;

    @BeforeAll
    static void freshDatabase() throws SQLException {
        servers = LocalServers.get();
        database = servers.freshDatabase("kafka_outage");
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (worker != null) {
            worker.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (reader != null) {
            reader.close();
        }
    }

    @Test
    void aBatchAppliedWhileKafkaDoesNotAnswerKeepsTheWorkerRunningAndItsOffsetsAreCommittedLater() throws Exception {
        proxy = TcpProxy.to(servers.pgHost(), servers.pgPort());
        reader = new PgvectorReader(config(servers.jdbcUrl(database)));
        worker = new WorkerHarness(SinkName.PGVECTOR, collection);
        worker.commitTimeout(Duration.ofSeconds(2));
        List<EnrichedChange> all = new ArrayList<>(produce("first", 10, 1));
        worker.start(new PgvectorSink(config("jdbc:postgresql://" + proxy.host() + ":" + proxy.port() + "/"
                + database), Documents.DIM));
        await().atMost(WAIT).until(() -> worker.committed() == all.size());

        // The store goes down with a batch in hand; then Kafka stops answering, and the store comes back.
        proxy.cut();
        all.addAll(produce("held", 10, 100));
        await().atMost(WAIT).until(() -> worker.metrics().retriedCount() >= 1);
        LocalServers.services("pause", "--only", "kafka");
        try {
            proxy.restore();
            await().atMost(WAIT).until(() -> reader.count(collection) == all.size());
            await().atMost(WAIT).until(() -> worker.metrics().commitsFailedCount() >= 1);
            assertThat(worker.isRunning()).as("the worker after Kafka refused its commit").isTrue();
        } finally {
            LocalServers.services("resume", "--only", "kafka");
        }

        // Kafka is back: a later batch's commit covers the held one too.
        all.addAll(produce("after", 5, 1000));
        await().atMost(WAIT).until(() -> worker.committed() == all.size());
        for (EnrichedChange change : all) {
            Documents.assertStored(reader, change);
        }
        assertThat(reader.count(collection)).isEqualTo(all.size());
        assertThat(worker.isRunning()).isTrue();
    }

    private List<EnrichedChange> produce(String prefix, int n, long lsn) {
        List<EnrichedChange> changes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = prefix + "-" + i;
            changes.add(upsert(collection, id, "text " + id, Map.of("id", id), Documents.vector(i), lsn + i));
        }
        worker.produce(0, changes);
        return changes;
    }

    private static PgvectorSinkConfig config(String url) {
        ConfigReader reader = new ConfigReader(Map.of("sink.pgvector.url", url));
        PgvectorSinkConfig config = PgvectorSinkConfig.from(reader);
        reader.finish();
        return config;
    }
}
