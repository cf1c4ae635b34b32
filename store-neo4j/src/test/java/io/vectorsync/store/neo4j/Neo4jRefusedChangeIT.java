package io.vectorsync.store.neo4j;

import io.vectorsync.core.DeadLetterHeaders;
import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.sink.contract.Documents;
import io.vectorsync.sink.contract.WorkerHarness;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Session;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.vectorsync.sink.contract.Documents.upsert;
import static io.vectorsync.sink.contract.Documents.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Neo4j sink worker on real Kafka and the real Neo4j test server, with a change Neo4j refuses every time: a
 * document whose content breaks a uniqueness constraint an operator put on the collection's label. Neo4j answers it
 * with a client error, which retrying can never mend; only that change may be dead-lettered, the rest goes on.
 */
@ExtendWith(LocalServers.class)
class Neo4jRefusedChangeIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final String collection = "refused_" + Services.uniqueSuffix();
    private WorkerHarness worker;
    private SinkReader reader;

    @AfterEach
    void stop() throws InterruptedException {
        if (worker != null) {
            worker.close();
        }
        if (reader != null) {
            reader.close();
        }
    }

    @Test
    void changeNeo4jRefusesIsDeadLetteredWithItsReasonAndTheRestAndLaterBatchesApply() throws Exception {
        Neo4jSinkConfig config = config(LocalServers.get().neo4jUri());
        reader = new Neo4jReader(config);
        worker = new WorkerHarness(SinkName.NEO4J, collection);
        EnrichedChange first = upsert(collection, "a", "same words", Map.of("n", 1), vector(1), 10);
        worker.produce(List.of(first));
        worker.start(new Neo4jSink(config, Documents.DIM));
        await().atMost(WAIT).until(() -> worker.committed() == 1);
        try (Driver driver = GraphDatabase.driver(config.uri(), AuthTokens.none());
             Session session = driver.session()) {
            session.run("CREATE CONSTRAINT `" + collection + "__unique_content` IF NOT EXISTS FOR (n:`" + collection
                    + "`) REQUIRE n.content IS UNIQUE").consume();
        }

        // One batch: two good changes around one whose content another document already holds.
        EnrichedChange before = upsert(collection, "b", "other words", Map.of("n", 2), vector(2), 11);
        EnrichedChange refused = upsert(collection, "dup", "same words", Map.of("n", 3), vector(3), 12);
        EnrichedChange after = upsert(collection, "c", "more words", Map.of("n", 4), vector(4), 13);
        worker.produce(List.of(before, refused, after));

        await("the batch holding the refused change is committed").atMost(WAIT)
                .until(() -> worker.committed() == 4);
        List<ConsumerRecord<String, String>> deadLetters = worker.deadLetters(1);
        assertThat(deadLetters).extracting(ConsumerRecord::key).containsExactly(refused.documentKey());
        ConsumerRecord<String, String> deadLetter = deadLetters.get(0);
        assertThat(WorkerHarness.header(deadLetter, DeadLetterHeaders.ERROR_CLASS))
                .isEqualTo("io.vectorsync.sink.runner.RejectedChangeException");
        assertThat(WorkerHarness.header(deadLetter, DeadLetterHeaders.ERROR_MESSAGE))
                .contains("Neo4j refused change " + refused.documentKey())
                .contains("Neo.ClientError.Schema.ConstraintValidationFailed");
        assertThat(WorkerHarness.header(deadLetter, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(worker.sinkTopic());
        for (EnrichedChange change : List.of(first, before, after)) {
            Documents.assertStored(reader, change);
        }
        assertThat(reader.find(collection, refused.id())).isEmpty();

        // A later batch is applied as usual.
        EnrichedChange later = upsert(collection, "d", "later words", Map.of("n", 5), vector(5), 14);
        worker.produce(List.of(later));
        await().atMost(WAIT).until(() -> worker.committed() == 5);
        Documents.assertStored(reader, later);
        assertThat(reader.count(collection)).isEqualTo(4);
        assertThat(worker.metrics().failedCount()).isEqualTo(1);
        assertThat(worker.isRunning()).isTrue();
    }

    private static Neo4jSinkConfig config(String uri) {
        ConfigReader reader = new ConfigReader(Map.of("sink.neo4j.uri", uri));
        Neo4jSinkConfig config = Neo4jSinkConfig.from(reader);
        reader.finish();
        return config;
    }
}
