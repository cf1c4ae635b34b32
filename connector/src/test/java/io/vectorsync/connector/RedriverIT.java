package io.vectorsync.connector;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.connector.redrive.Redriver;
import io.vectorsync.core.Topics;
import io.vectorsync.core.mode.Backfill.State;
import io.vectorsync.core.mode.BackfillProgress;
import io.vectorsync.core.model.TableId;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.vectorsync.connector.BackfillHarness.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Re-driving rows through a running connector on the real PostgreSQL and Kafka: re-reads come as
 * incremental-snapshot reads of exactly the keys asked for, deletes of vanished rows look and land like Debezium's
 * own, and neither disturbs the backfill bookkeeping.
 */
@ExtendWith(LocalServers.class)
class RedriverIT {
    private static final int PARTITIONS = 3;

    private BackfillHarness h;
    private TableId composite;
    private CdcConnector connector;
    private SimpleMeterRegistry registry;
    private Redriver redriver;

    /** One record of a cdc topic. */
    record Record(int partition, long offset, String key, JsonNode value, String origin) {
        static Record of(ConsumerRecord<String, String> r) {
            Header h = r.headers().lastHeader("vectorsync.origin");
            return new Record(r.partition(), r.offset(), r.key(), BackfillHarness.read(r.value()),
                    h == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }

        String op() {
            return value.get("op").asText();
        }

        boolean incremental() {
            return "incremental".equals(value.get("source").get("snapshot").asText());
        }

        JsonNode row() {
            return value.get(op().equals("d") ? "before" : "after");
        }

        long lsn() {
            return value.get("source").path("lsn").asLong(-1);
        }
    }

    @BeforeEach
    void world() throws Exception {
        Services servers = LocalServers.get();
        // A database per test: every connector on a database reads every signal of its signal table.
        h = new BackfillHarness(servers, servers.freshDatabase("redrive_it"), 200);
        composite = new TableId("public", "comp_" + Services.uniqueSuffix());
        h.sql("CREATE TABLE " + h.table.quoted() + " (id int PRIMARY KEY, title text NOT NULL)",
                "INSERT INTO " + h.table.quoted() + " SELECT g, 'row ' || g FROM generate_series(1, 10) g",
                // Declared key order differs from column order; Debezium's key follows the key's order.
                "CREATE TABLE " + composite.quoted() + " (a text, b int, c numeric(10,2), PRIMARY KEY (b, a))",
                "INSERT INTO " + composite.quoted() + " VALUES ('x', 1, 1.5), ('y''q', 2, 2), ('z\\', 3, 3),"
                        + " ('w', 4, 4)");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                h.kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(Topics.cdc(h.table), PARTITIONS, (short) 1),
                    new NewTopic(Topics.cdc(composite), PARTITIONS, (short) 1),
                    new NewTopic(h.kafka.topics().backfillRequests(), 1, (short) 1),
                    new NewTopic(h.kafka.topics().backfillProgress(), 1, (short) 1))).all().get();
        }
        registry = new SimpleMeterRegistry();
        connector = new CdcConnector(h.config, h.kafka, List.of(h.table, composite), registry);
        connector.start();
        assertThat(connector.awaitStarted(WAIT)).isTrue();
        await().atMost(WAIT).until(connector::backfillsRunning);
        redriver = new Redriver(h.config, h.kafka);
    }

    @AfterEach
    void stop() throws SQLException {
        redriver.close();
        connector.close();
        h.close();
    }

    @Test
    void rereadOfThreeOfTenRowsReplaysExactlyThoseAsIncrementalReadsAndNoBackfillMoves() throws Exception {
        try (KafkaConsumer<String, String> cdc = consumer(Topics.cdc(h.table))) {
            List<Record> records = new ArrayList<>();
            await().atMost(WAIT).until(() -> poll(cdc, records) >= 10);

            List<String> signals = redriver.reread(h.table, List.of("id"), List.of(List.of("2"), List.of("5"),
                    List.of("7")));

            assertThat(signals).singleElement().asString().startsWith("redrive-").hasSizeLessThanOrEqualTo(42);
            await().atMost(WAIT).until(() -> {
                poll(cdc, records);
                return records.stream().filter(Record::incremental).count() >= 3;
            });
            // A change after the re-read: once it is in, everything the re-read produced is.
            h.sql("INSERT INTO " + h.table.quoted() + " VALUES (11, 'marker')");
            await().atMost(WAIT).until(() -> {
                poll(cdc, records);
                return records.stream().anyMatch(r -> r.row().get("id").asInt() == 11);
            });
            List<Record> reread = records.stream().filter(Record::incremental).toList();
            assertThat(reread).extracting(r -> r.row().get("id").asInt()).containsExactlyInAnyOrder(2, 5, 7);
            assertThat(reread).allMatch(r -> r.op().equals("r"));
            assertThat(reread).allMatch(r -> r.row().get("title").asText().equals("row " + r.row().get("id")));
        }

        // Nobody asked for a backfill: nothing was counted or published as one, and the runner is fine.
        assertThat(registry.find("vectorsync.backfill.rows").counters()).isEmpty();
        assertThat(registry.get("vectorsync.backfill.running").gauge().value()).isZero();
        assertThat(TopicReader.readAll(readerProperties(), h.kafka.topics().backfillProgress(), WAIT)).isEmpty();
        assertThat(connector.failure()).isEmpty();
        assertThat(connector.backfillsRunning()).isTrue();
    }

    @Test
    void rereadOfCompositeKeysWithQuotesAndBackslashesReadsExactlyThoseRows() throws Exception {
        try (KafkaConsumer<String, String> cdc = consumer(Topics.cdc(composite))) {
            List<Record> records = new ArrayList<>();
            await().atMost(WAIT).until(() -> poll(cdc, records) >= 4);

            // In id-column order (a, b), unlike the key's (b, a).
            redriver.reread(composite, List.of("a", "b"), List.of(List.of("y'q", "2"), List.of("z\\", "3"),
                    List.of("x", "2")));

            await().atMost(WAIT).until(() -> {
                poll(cdc, records);
                return records.stream().filter(Record::incremental).count() >= 2;
            });
            h.sql("INSERT INTO " + composite.quoted() + " VALUES ('marker', 99, 0)");
            await().atMost(WAIT).until(() -> {
                poll(cdc, records);
                return records.stream().anyMatch(r -> r.row().get("b").asInt() == 99);
            });
            assertThat(records.stream().filter(Record::incremental).map(Record::key))
                    .containsExactlyInAnyOrder("{\"b\":2,\"a\":\"y'q\"}", "{\"b\":3,\"a\":\"z\\\\\"}");
        }
    }

    @Test
    void aKeyNotValidForItsColumnIsRefusedBeforeAnySignalIsWritten() throws Exception {
        assertThatThrownBy(() -> redriver.reread(h.table, List.of("id"), List.of(List.of("3"), List.of("abc"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PostgreSQL refuses these keys of " + h.table)
                .hasMessageContaining("abc");
        assertThatThrownBy(() -> redriver.reread(h.table, List.of("nope"), List.of(List.of("3"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nope");
        assertThatThrownBy(() -> redriver.deleteAbsent(h.table, List.of("id"), List.of(List.of("1; DROP"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key [1; DROP] has '1; DROP' for integer column 'id'");
        assertThatThrownBy(() -> redriver.deleteAbsent(composite, List.of("a"), List.of(List.of("x"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("id columns [a] are not the primary key of " + composite
                        + ", which is [b, a]");

        assertThat(h.signals()).isEmpty();
        assertThat(connector.failure()).isEmpty();
    }

    @Test
    void deleteAbsentPublishesOneDeleteLikeDebeziumsOnTheRowsPartitionAfterEveryCapturedChange() throws Exception {
        try (KafkaConsumer<String, String> cdc = consumer(Topics.cdc(h.table))) {
            List<Record> records = new ArrayList<>();
            await().atMost(WAIT).until(() -> poll(cdc, records) >= 10);
            // Row 4 goes, as Debezium sees it; then more changes, so the captured LSNs move on.
            h.sql("DELETE FROM " + h.table.quoted() + " WHERE id = 4",
                    "UPDATE " + h.table.quoted() + " SET title = 'changed' WHERE id = 9");
            await().atMost(WAIT).until(() -> {
                poll(cdc, records);
                return records.stream().anyMatch(r -> r.op().equals("u"));
            });
            Record debeziumDelete = records.stream().filter(r -> r.op().equals("d")).findFirst().orElseThrow();
            long newestCaptured = records.stream().mapToLong(Record::lsn).max().orElseThrow();

            List<List<String>> published = redriver.deleteAbsent(h.table, List.of("id"),
                    List.of(List.of("3"), List.of("04")));

            assertThat(published).containsExactly(List.of("04"));
            await().atMost(WAIT).until(() -> {
                poll(cdc, records);
                return records.stream().anyMatch(r -> "redrive".equals(r.origin()));
            });
            h.sql("INSERT INTO " + h.table.quoted() + " VALUES (11, 'marker')");
            await().atMost(WAIT).until(() -> {
                poll(cdc, records);
                return records.stream().anyMatch(r -> r.row().get("id").asInt() == 11);
            });
            List<Record> redriven = records.stream().filter(r -> "redrive".equals(r.origin())).toList();
            assertThat(redriven).hasSize(1);
            Record ours = redriven.get(0);
            // The very key bytes Debezium wrote for row 4, so the same partition.
            assertThat(ours.key()).isEqualTo(debeziumDelete.key()).isEqualTo("{\"id\":4}");
            assertThat(ours.partition()).isEqualTo(debeziumDelete.partition());
            assertThat(ours.op()).isEqualTo("d");
            assertThat(ours.value().get("before").toString()).isEqualTo("{\"id\":4}");
            assertThat(ours.value().get("after").isNull()).isTrue();
            assertThat(ours.lsn()).isGreaterThan(newestCaptured);
            assertThat(ours.value().get("source").get("sequence").asText())
                    .isEqualTo("[\"" + ours.lsn() + "\",\"" + ours.lsn() + "\"]");
            // The same fields as Debezium's own delete, at the top and in the source block.
            assertThat(fields(ours.value())).isEqualTo(fields(debeziumDelete.value()));
            assertThat(fields(ours.value().get("source"))).isEqualTo(fields(debeziumDelete.value().get("source")));
            assertThat(ours.value().get("source").get("table").asText()).isEqualTo(h.table.table());
            assertThat(ours.value().get("source").get("db").asText()).isEqualTo(h.database);
            // A change made after the delete was decided is not older: the next WAL record may start right where the
            // WAL ended, at the delete's LSN, and every sink lets a change through a tombstone of the same LSN.
            Record marker = records.stream().filter(r -> r.row().get("id").asInt() == 11).findFirst().orElseThrow();
            assertThat(marker.lsn()).isGreaterThanOrEqualTo(ours.lsn());
        }
    }

    @Test
    void deleteAbsentOfACompositeKeyUsesDebeziumsKeyOrderAndValues() throws Exception {
        try (KafkaConsumer<String, String> cdc = consumer(Topics.cdc(composite))) {
            List<Record> records = new ArrayList<>();
            await().atMost(WAIT).until(() -> poll(cdc, records) >= 4);
            Map<String, Record> snapshotByRow = records.stream().collect(Collectors.toMap(
                    r -> r.row().get("a").asText(), r -> r));
            h.sql("DELETE FROM " + composite.quoted() + " WHERE b IN (2, 3)");

            List<List<String>> published = redriver.deleteAbsent(composite, List.of("a", "b"),
                    List.of(List.of("y'q", "2"), List.of("x", "1"), List.of("z\\", "+3")));

            assertThat(published).containsExactly(List.of("y'q", "2"), List.of("z\\", "+3"));
            await().atMost(WAIT).until(() -> {
                poll(cdc, records);
                return records.stream().filter(r -> "redrive".equals(r.origin())).count() >= 2;
            });
            for (Record ours : records.stream().filter(r -> "redrive".equals(r.origin())).toList()) {
                Record debeziums = snapshotByRow.get(ours.row().get("a").asText());
                assertThat(ours.key()).isEqualTo(debeziums.key());
                assertThat(ours.partition()).isEqualTo(debeziums.partition());
            }
        }
    }

    /**
     * A re-read of a table just before its backfill starts: Debezium reads both in one incremental snapshot, and the
     * re-read's table scan, which ends first, must not end the backfill.
     */
    @Test
    void aRereadJustBeforeABackfillOfTheSameTableDoesNotEndTheBackfillEarly() throws Exception {
        h.sql("INSERT INTO " + h.table.quoted() + " SELECT g, 'row ' || g FROM generate_series(11, 3000) g");
        List<BackfillProgress> progress = new ArrayList<>();
        try (KafkaConsumer<String, String> cdc = consumer(Topics.cdc(h.table));
             KafkaConsumer<String, String> progressTopic = h.consumer(h.kafka.topics().backfillProgress())) {
            List<Record> records = new ArrayList<>();
            await().atMost(WAIT).until(() -> poll(cdc, records) >= 3000);

            redriver.reread(h.table, List.of("id"), List.of(List.of("1"), List.of("2"), List.of("3")));
            h.send(h.request("docs-2", "docs", h.table));
            await().atMost(WAIT).until(() -> {
                BackfillHarness.pollProgress(progressTopic, progress);
                return !progress.isEmpty() && progress.get(progress.size() - 1).state() != State.RUNNING;
            });
            await().atMost(WAIT).until(() -> {
                poll(cdc, records);
                return records.stream().filter(Record::incremental).count() >= 3003;
            });

            BackfillProgress last = progress.get(progress.size() - 1);
            assertThat(last.state()).isEqualTo(State.COMPLETED);
            assertThat(last.rowsTotal()).isEqualTo(3000);
            // Every row of the backfill; at most the re-read's three more, had Debezium queued them behind it.
            assertThat(last.rowsDone()).isBetween(3000L, 3003L);
            assertThat(records.stream().filter(Record::incremental).map(r -> r.row().get("id").asInt())
                    .collect(Collectors.toSet())).hasSize(3000);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /** A consumer of every partition of {@code topic}, from the beginning. */
    private KafkaConsumer<String, String> consumer(String topic) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, h.kafka.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new TopicPartition(topic, p));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private static int poll(KafkaConsumer<String, String> consumer, List<Record> into) {
        consumer.poll(Duration.ofMillis(100)).forEach(r -> into.add(Record.of(r)));
        return into.size();
    }

    private java.util.Properties readerProperties() {
        java.util.Properties p = new java.util.Properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, h.kafka.bootstrapServers());
        p.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return p;
    }

    private static Set<String> fields(JsonNode node) {
        Set<String> names = new java.util.TreeSet<>();
        for (Iterator<String> i = node.fieldNames(); i.hasNext(); ) {
            names.add(i.next());
        }
        return names;
    }
}
