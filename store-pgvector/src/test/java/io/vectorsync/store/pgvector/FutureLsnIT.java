package io.vectorsync.store.pgvector;

import io.vectorsync.core.DeadLetterHeaders;
import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.sink.contract.Documents;
import io.vectorsync.sink.contract.WorkerHarness;
import io.vectorsync.sink.runner.CurrentModes;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static io.vectorsync.sink.contract.Documents.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A forged sink record with a huge LSN, written straight to the sink topic, is dead-lettered with the LSN and the
 * source's WAL position (read from the real PostgreSQL) instead of freezing its document: a later genuine change of
 * the same document lands in pgvector.
 */
@ExtendWith(LocalServers.class)
class FutureLsnIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final Services servers = LocalServers.get();
    private final String collection = "future_lsn_" + Services.uniqueSuffix();
    private String database;
    private WorkerHarness worker;
    private SinkReader reader;

    @BeforeEach
    void start() throws Exception {
        database = servers.freshDatabase("future_lsn");
        PgvectorSinkConfig config = config(servers.jdbcUrl(database));
        reader = new PgvectorReader(config);
        worker = new WorkerHarness(SinkName.PGVECTOR, collection);
        worker.start(new PgvectorSink(config, Documents.DIM), CurrentModes.UNKNOWN, this::walPosition);
    }

    @AfterEach
    void stop() throws Exception {
        worker.close();
        reader.close();
    }

    @Test
    void aForgedRecordWithAHugeLsnIsDeadLetteredAndALaterGenuineChangeLands() throws Exception {
        EnrichedChange first = upsert(collection, "doc", "first", Map.of("v", 1), null, walLsn());
        worker.produce(List.of(first));
        await().atMost(WAIT).until(() -> worker.committed() == 1);
        Documents.assertStored(reader, first);

        // A terabyte of WAL ahead: the LSN guard would refuse every genuine change of the document until then.
        long forgedLsn = walLsn() + (1L << 40);
        worker.produce(List.of(new EnrichedChange(collection, "doc", EnrichedChange.Kind.UPSERT, "forged",
                Map.of("v", 666), null, Documents.MODEL, Documents.sha256("forged"), forgedLsn, Documents.TS)));
        List<ConsumerRecord<String, String>> deadLetters = worker.deadLetters(1);
        assertThat(deadLetters).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo(collection + "/doc");
            assertThat(WorkerHarness.header(r, DeadLetterHeaders.ERROR_CLASS))
                    .isEqualTo("io.vectorsync.sink.runner.ImplausibleLsnException");
            assertThat(WorkerHarness.header(r, DeadLetterHeaders.ERROR_MESSAGE))
                    .startsWith("LSN " + forgedLsn + " is ahead of the source's current WAL position ")
                    .contains("more than sink.lsn.max.ahead.bytes (16777216)");
        });
        Documents.assertStored(reader, first);

        EnrichedChange genuine = upsert(collection, "doc", "genuine", Map.of("v", 2), null, walLsn());
        worker.produce(List.of(genuine));
        await().atMost(WAIT).until(() -> worker.committed() == 3);
        Documents.assertStored(reader, genuine);
        assertThat(worker.isRunning()).isTrue();
    }

    private OptionalLong walPosition() {
        try {
            return OptionalLong.of(walLsn());
        } catch (SQLException e) {
            return OptionalLong.empty();
        }
    }

    private long walLsn() throws SQLException {
        try (Connection c = servers.connect(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static PgvectorSinkConfig config(String url) {
        ConfigReader reader = new ConfigReader(Map.of("sink.pgvector.url", url));
        PgvectorSinkConfig config = PgvectorSinkConfig.from(reader);
        reader.finish();
        return config;
    }
}
