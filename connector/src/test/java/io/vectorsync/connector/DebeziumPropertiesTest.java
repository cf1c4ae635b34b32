package io.vectorsync.connector;

import io.debezium.function.Predicates;
import io.vectorsync.connector.ConnectorConfig.SnapshotMode;
import io.vectorsync.core.Topics;
import io.vectorsync.core.config.KafkaConfig;
import io.vectorsync.core.config.PostgresTls;
import io.vectorsync.core.model.TableId;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DebeziumPropertiesTest {
    private static final ConnectorConfig SOURCE = new ConnectorConfig("db.example", 5433, "shop", "cdc", "s3cret",
            "shop_slot", "shop_pub", "shop.offsets", SnapshotMode.NO_DATA, 250, 2000, "shop",
            new TableId("ops", "shop_signal"), new TableId("ops", "shop_beat"), 500, 1000);
    private static final KafkaConfig KAFKA = new KafkaConfig("k1:9092,k2:9092", 6, (short) 3, new Topics("shop"));
    private static final TableId DOCS = new TableId("public", "docs");
    private static final TableId ITEMS = new TableId("inventory", "items");

    @Test
    void buildsTheCompleteEngineConfiguration() {
        Properties p = DebeziumProperties.build(SOURCE, KAFKA, List.of(DOCS, ITEMS));

        Map<String, String> expected = new HashMap<>();
        expected.put("name", "shop");
        expected.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        expected.put("database.hostname", "db.example");
        expected.put("database.port", "5433");
        expected.put("database.dbname", "shop");
        expected.put("database.user", "cdc");
        expected.put("database.password", "s3cret");
        expected.put("database.sslmode", "prefer");
        expected.put("plugin.name", "pgoutput");
        expected.put("slot.name", "shop_slot");
        expected.put("publication.name", "shop_pub");
        expected.put("publication.autocreate.mode", "filtered");
        expected.put("table.include.list", "(?-i)public\\.docs,(?-i)inventory\\.items,(?-i)ops\\.shop_beat");
        expected.put("snapshot.mode", "no_data");
        expected.put("topic.prefix", "cdc");
        expected.put("tombstones.on.delete", "false");
        expected.put("skipped.operations", "none");
        expected.put("decimal.handling.mode", "string");
        expected.put("time.precision.mode", "connect");
        expected.put("heartbeat.interval.ms", "2000");
        expected.put("topic.heartbeat.name", "shop.heartbeat");
        expected.put("heartbeat.action.query", "INSERT INTO \"ops\".\"shop_beat\" (id, ts) VALUES (1, now())"
                + " ON CONFLICT (id) DO UPDATE SET ts = EXCLUDED.ts");
        expected.put("offset.storage", "org.apache.kafka.connect.storage.KafkaOffsetBackingStore");
        expected.put("offset.storage.topic", "shop.offsets");
        expected.put("offset.storage.partitions", "1");
        expected.put("offset.storage.replication.factor", "3");
        expected.put("offset.flush.interval.ms", "250");
        expected.put("bootstrap.servers", "k1:9092,k2:9092");
        expected.put("key.converter.schemas.enable", "false");
        expected.put("value.converter.schemas.enable", "false");
        expected.put("signal.enabled.channels", "source");
        expected.put("signal.data.collection", "ops.shop_signal");
        expected.put("incremental.snapshot.chunk.size", "500");
        expected.put("incremental.snapshot.watermarking.strategy", "insert_delete");
        expected.put("notification.enabled.channels", "sink");
        expected.put("notification.sink.topic.name", "__vectorsync-notifications");
        assertThat(p).containsExactlyInAnyOrderEntriesOf(expected);
    }

    @Test
    void theReplicationConnectionGetsTheSourcesTlsSettings() {
        PostgresTls tls = new PostgresTls(PostgresTls.SslMode.VERIFY_FULL, "/etc/pg/ca.crt", "/etc/pg/c.crt",
                "/etc/pg/c.pk8", "key-pw");
        ConnectorConfig secured = new ConnectorConfig("db.example", 5433, "shop", "cdc", "s3cret", "shop_slot",
                "shop_pub", "shop.offsets", SnapshotMode.NO_DATA, 250, 2000, "shop", new TableId("ops", "shop_signal"),
                new TableId("ops", "shop_beat"), 500, 1000, tls);

        Properties p = DebeziumProperties.build(secured, KAFKA, List.of(DOCS));

        assertThat(p).containsEntry("database.sslmode", "verify-full")
                .containsEntry("database.sslrootcert", "/etc/pg/ca.crt")
                .containsEntry("database.sslcert", "/etc/pg/c.crt")
                .containsEntry("database.sslkey", "/etc/pg/c.pk8")
                .containsEntry("database.sslpassword", "key-pw");
        assertThat(secured.sourceDatabase().tls()).isEqualTo(tls);
    }

    @Test
    void eachHeartbeatUpsertsTheOneRowOfTheHeartbeatTableWhichIsCapturedSoItsChangeMovesTheSlot() {
        Properties p = DebeziumProperties.build(SOURCE, KAFKA, List.of(DOCS));
        Predicate<String> included = Predicates.includes(p.getProperty("table.include.list"));

        assertThat(p.getProperty("heartbeat.action.query")).isEqualTo("INSERT INTO \"ops\".\"shop_beat\" (id, ts)"
                + " VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET ts = EXCLUDED.ts");
        assertThat(included.test("ops.shop_beat")).isTrue();
        assertThat(included.test("public.docs")).isTrue();
        // Debezium adds the signal table to its filter by itself; listing it would change nothing.
        assertThat(included.test("ops.shop_signal")).isFalse();
    }

    @Test
    void withoutHeartbeatsNothingWritesToTheHeartbeatTableAndItIsNotCaptured() {
        ConnectorConfig noHeartbeats = new ConnectorConfig("db.example", 5433, "shop", "cdc", "s3cret", "shop_slot",
                "shop_pub", "shop.offsets", SnapshotMode.NO_DATA, 250, 0, "shop", new TableId("ops", "shop_signal"),
                new TableId("ops", "shop_beat"), 500, 1000);

        Properties p = DebeziumProperties.build(noHeartbeats, KAFKA, List.of(DOCS));

        assertThat(p).doesNotContainKey("heartbeat.action.query");
        assertThat(p.getProperty("table.include.list")).isEqualTo("(?-i)public\\.docs");
        assertThat(p.getProperty("heartbeat.interval.ms")).isEqualTo("0");
    }

    @Test
    void topicPrefixMakesDestinationsMatchTheCdcTopicNames() {
        Properties p = DebeziumProperties.build(SOURCE, KAFKA, List.of(DOCS));

        // Debezium names a table's topic <topic.prefix>.<schema>.<table>.
        assertThat(p.getProperty("topic.prefix") + ".public.docs").isEqualTo(Topics.cdc(DOCS));
    }

    @Test
    void includeListMatchesEachTableExactlyUnderDebeziumsOwnMatching() {
        Predicate<String> included = Predicates.includes(DebeziumProperties.includeList(List.of(DOCS, ITEMS)));

        assertThat(included.test("public.docs")).isTrue();
        assertThat(included.test("inventory.items")).isTrue();
        assertThat(included.test("public.Docs")).isFalse();
        assertThat(included.test("public.docs2")).isFalse();
        assertThat(included.test("publicXdocs")).isFalse();
        assertThat(included.test("other.docs")).isFalse();
        assertThat(included.test("xpublic.docs")).isFalse();
    }

    @Test
    void aTableListedTwiceIsIncludedOnce() {
        assertThat(DebeziumProperties.includeList(List.of(DOCS, DOCS))).isEqualTo("(?-i)public\\.docs");
    }

    @Test
    void refusesAnEmptyTableListWhichWouldCaptureTheWholeDatabase() {
        assertThatThrownBy(() -> DebeziumProperties.build(SOURCE, KAFKA, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("at least one table to capture is needed");
    }
}
