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
 * Two sink workers of one group on a two-partition topic, pgvector cut off by a proxy: a worker that joins while
 * the first one waits out the store's backoff makes the group rebalance in the middle of that wait. Whatever the
 * first worker's consumer fetches meanwhile must not be lost once the store is back.
 */
@ExtendWith(LocalServers.class)
class RebalanceDuringRetryIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int PER_PARTITION = 5;
    private static Services servers;
    private static String database;

    private final String collection = "rebalance_" + Services.uniqueSuffix();
    private TcpProxy proxy;
    private WorkerHarness workers;
    private SinkReader reader;

    @BeforeAll
    static void freshDatabase() throws SQLException {
        servers = LocalServers.get();
        database = servers.freshDatabase("rebalance");
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (workers != null) {
            workers.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (reader != null) {
            reader.close();
        }
    }

    @Test
    void secondWorkerJoiningWhileTheFirstWaitsOutAStoreFailureLosesNothing() throws Exception {
        proxy = TcpProxy.to(servers.pgHost(), servers.pgPort());
        reader = new PgvectorReader(config(servers.jdbcUrl(database)));
        workers = new WorkerHarness(SinkName.PGVECTOR, collection, 2);
        List<EnrichedChange> all = new ArrayList<>();

        // The first worker takes both partitions and applies a change in each: the store is up.
        all.addAll(produce("warm-up", 1, 1));
        workers.start(sink());
        await().atMost(WAIT).until(() -> workers.committed() == 2);

        // The store goes down with a batch in hand: the first worker waits out its backoff.
        proxy.cut();
        all.addAll(produce("before", PER_PARTITION, 10));
        await().atMost(WAIT).until(() -> workers.metrics(0).retriedCount() >= 1);

        // A second worker, whose own way to the store still works, joins meanwhile; the group splits the
        // partitions between the two.
        workers.start(new PgvectorSink(config(servers.jdbcUrl(database)), Documents.DIM));
        await().atMost(WAIT).until(() -> workers.membersWithPartitions() == 2);

        // Changes arriving while the first still waits, polling its partitions to stay in the group.
        all.addAll(produce("during", PER_PARTITION, 100));
        long firstRetried = workers.metrics(0).retriedCount();
        await().atMost(WAIT).until(() -> workers.metrics(0).retriedCount() >= firstRetried + 2);

        // The store is back, and one more change per partition moves each partition's commit on.
        proxy.restore();
        all.addAll(produce("after", 1, 1000));
        await().atMost(WAIT).until(() -> workers.committed() == all.size());

        List<String> missing = new ArrayList<>();
        for (EnrichedChange change : all) {
            if (reader.find(collection, change.id()).isEmpty()) {
                missing.add(change.id());
            }
        }
        assertThat(missing).as("changes committed by the group but never applied to pgvector").isEmpty();
        for (EnrichedChange change : all) {
            Documents.assertStored(reader, change);
        }
        assertThat(reader.count(collection)).isEqualTo(all.size());
        assertThat(workers.isRunning()).isTrue();
    }

    @Test
    void workerStartingWhileItsStoreIsDownWaitsForTheStoreAndThenAppliesEverything() throws Exception {
        proxy = TcpProxy.to(servers.pgHost(), servers.pgPort());
        reader = new PgvectorReader(config(servers.jdbcUrl(database)));
        workers = new WorkerHarness(SinkName.PGVECTOR, collection, 2);
        List<EnrichedChange> all = new ArrayList<>(produce("early", PER_PARTITION, 1));

        proxy.cut();
        workers.start(sink());
        // Several prepare attempts fail meanwhile (100 ms doubling to 1 s); the worker must stay up through them.
        await("the worker stays up while its store is down").during(Duration.ofSeconds(4))
                .atMost(Duration.ofSeconds(10)).until(workers::isRunning);

        proxy.restore();
        await().atMost(WAIT).until(() -> workers.committed() == all.size());
        for (EnrichedChange change : all) {
            Documents.assertStored(reader, change);
        }
        assertThat(workers.isRunning()).isTrue();
    }

    /** {@code n} changes into each of the two partitions, LSNs from {@code lsn} on. */
    private List<EnrichedChange> produce(String prefix, int n, long lsn) {
        List<EnrichedChange> out = new ArrayList<>();
        for (int partition = 0; partition < 2; partition++) {
            List<EnrichedChange> changes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String id = prefix + "-p" + partition + "-" + i;
                changes.add(upsert(collection, id, "", Map.of("id", id), null, lsn + partition * n + i));
            }
            workers.produce(partition, changes);
            out.addAll(changes);
        }
        return out;
    }

    private PgvectorSink sink() {
        return new PgvectorSink(config("jdbc:postgresql://" + proxy.host() + ":" + proxy.port() + "/" + database),
                Documents.DIM);
    }

    private static PgvectorSinkConfig config(String url) {
        ConfigReader reader = new ConfigReader(Map.of("sink.pgvector.url", url));
        PgvectorSinkConfig config = PgvectorSinkConfig.from(reader);
        reader.finish();
        return config;
    }
}
