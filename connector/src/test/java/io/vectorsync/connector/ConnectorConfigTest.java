package io.vectorsync.connector;

import io.vectorsync.connector.ConnectorConfig.SnapshotMode;
import io.vectorsync.core.config.ConfigException;
import io.vectorsync.core.config.ConfigProblem;
import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.model.TableId;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectorConfigTest {

    @Test
    void defaultsApplyWhenNothingIsSet() {
        ConfigReader reader = new ConfigReader(Map.of());
        ConnectorConfig c = ConnectorConfig.from(reader);
        reader.finish();

        assertThat(c).isEqualTo(new ConnectorConfig("127.0.0.1", 55432, "postgres", "postgres", "", "vectorsync",
                "vectorsync", "vectorsync.offsets", SnapshotMode.INITIAL, 1000, 10000, "vectorsync",
                new TableId("public", "vectorsync_signal"), new TableId("public", "vectorsync_heartbeat"), 1024,
                1000));
        assertThat(ConnectorConfig.KEYS).extracting(k -> k.name()).containsExactly("source.host", "source.port",
                "source.database", "source.user", "source.password", "source.slot.name", "source.publication.name",
                "source.offsets.topic", "source.snapshot.mode", "source.offset.flush.interval.ms",
                "source.heartbeat.interval.ms", "source.connector.name", "source.signal.table",
                "source.heartbeat.table", "source.snapshot.chunk.size", "source.backfill.progress.interval.ms",
                "source.sslmode", "source.sslrootcert", "source.sslcert", "source.sslkey", "source.sslpassword");
    }

    @Test
    void everyKeyIsRead() {
        ConfigReader reader = new ConfigReader(Map.ofEntries(
                Map.entry("source.host", "db.example"), Map.entry("source.port", "5433"),
                Map.entry("source.database", "shop"), Map.entry("source.user", "cdc"),
                Map.entry("source.password", "s3cret"), Map.entry("source.slot.name", "shop_slot"),
                Map.entry("source.publication.name", "shop_pub"), Map.entry("source.offsets.topic", "shop.offsets"),
                Map.entry("source.snapshot.mode", "when_needed"), Map.entry("source.offset.flush.interval.ms", "250"),
                Map.entry("source.heartbeat.interval.ms", "2000"), Map.entry("source.connector.name", "shop"),
                Map.entry("source.signal.table", "ops.shop_signal"),
                Map.entry("source.heartbeat.table", "ops.shop_beat"), Map.entry("source.snapshot.chunk.size", "500"),
                Map.entry("source.backfill.progress.interval.ms", "250")));
        ConnectorConfig c = ConnectorConfig.from(reader);
        reader.finish();

        assertThat(c).isEqualTo(new ConnectorConfig("db.example", 5433, "shop", "cdc", "s3cret", "shop_slot",
                "shop_pub", "shop.offsets", SnapshotMode.WHEN_NEEDED, 250, 2000, "shop", new TableId("ops", "shop_signal"),
                new TableId("ops", "shop_beat"), 500, 250));
        assertThat(c.address()).isEqualTo("db.example:5433/shop");
        assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5433/shop");
    }

    @Test
    void badValuesAreAllReportedNamingKeyAndValue() {
        ConfigReader reader = new ConfigReader(Map.of(
                "source.port", "70000",
                "source.slot.name", "Vector-Sync",
                "source.publication.name", "MyPub",
                "source.offsets.topic", "offsets topic",
                "source.snapshot.mode", "always",
                "source.offset.flush.interval.ms", "-5",
                "source.heartbeat.interval.ms", "soon"));
        ConnectorConfig.from(reader);

        assertThatThrownBy(reader::finish).isInstanceOf(ConfigException.class);
        assertThat(reader.problems()).containsExactly(
                new ConfigProblem("source.port", "70000", "it must be an integer between 1 and 65535"),
                new ConfigProblem("source.slot.name", "Vector-Sync",
                        "a replication slot name may only hold lower-case letters, digits and '_' (at most 63)"),
                new ConfigProblem("source.publication.name", "MyPub",
                        "a publication name must be a lower-case identifier matching [a-z_][a-z0-9_]* (at most 63)"),
                new ConfigProblem("source.offsets.topic", "offsets topic",
                        "a Kafka topic name may only hold letters, digits, '.', '_' and '-'"),
                new ConfigProblem("source.snapshot.mode", "always",
                        "it must be one of [initial, no_data, when_needed]"),
                new ConfigProblem("source.offset.flush.interval.ms", "-5", "it must be a positive whole number"),
                new ConfigProblem("source.heartbeat.interval.ms", "soon", "it must be a whole number"));
        assertThat(reader.problems().get(4).toString())
                .isEqualTo("'source.snapshot.mode' was 'always' but it must be one of [initial, no_data, when_needed]");
    }

    @Test
    void badBackfillSettingsAreReportedNamingKeyAndValue() {
        ConfigReader reader = new ConfigReader(Map.of(
                "source.signal.table", "vectorsync_signal",
                "source.snapshot.chunk.size", "0",
                "source.backfill.progress.interval.ms", "0"));
        ConnectorConfig.from(reader);

        assertThat(reader.problems()).containsExactly(
                new ConfigProblem("source.signal.table", "vectorsync_signal", "it must be schema.table in lower case,"
                        + " each part matching [a-z_][a-z0-9_]* (at most 63)"),
                new ConfigProblem("source.snapshot.chunk.size", "0", "it must be an integer between 1 and 1000000"),
                new ConfigProblem("source.backfill.progress.interval.ms", "0", "it must be a positive whole number"));
    }

    @Test
    void aSignalTableNameThatIsNotAPlainLowerCaseIdentifierIsRefused() {
        for (String bad : new String[] {"public.Signals", "public.sig;drop", "public.", ".sig", "a.b.c"}) {
            ConfigReader reader = new ConfigReader(Map.of("source.signal.table", bad));
            ConnectorConfig.from(reader);
            assertThat(reader.problems()).as(bad).extracting(ConfigProblem::key).containsExactly("source.signal.table");
        }
    }

    @Test
    void aHeartbeatTableNameThatIsNotAPlainLowerCaseIdentifierIsRefused() {
        for (String bad : new String[] {"public.Beats", "public.beat;drop", "public.", "beat", "a.b.c"}) {
            ConfigReader reader = new ConfigReader(Map.of("source.heartbeat.table", bad));
            ConnectorConfig.from(reader);
            assertThat(reader.problems()).as(bad).containsExactly(new ConfigProblem("source.heartbeat.table", bad,
                    "it must be schema.table in lower case, each part matching [a-z_][a-z0-9_]* (at most 63)"));
        }
    }

    @Test
    void theHeartbeatTableCannotBeTheSignalTable() {
        ConfigReader reader = new ConfigReader(Map.of("source.signal.table", "ops.cdc",
                "source.heartbeat.table", "ops.cdc"));
        ConnectorConfig.from(reader);

        assertThat(reader.problems()).containsExactly(new ConfigProblem("source.heartbeat.table", "ops.cdc",
                "it is also source.signal.table; the heartbeat table must be a table of its own"));
    }

    @Test
    void heartbeatsAreOffOnlyInARecordBuiltWithAZeroInterval() {
        ConnectorConfig c = ConnectorConfig.from(new ConfigReader(Map.of()));
        ConnectorConfig off = new ConnectorConfig(c.host(), c.port(), c.database(), c.user(), c.password(),
                c.slotName(), c.publicationName(), c.offsetsTopic(), c.snapshotMode(), c.offsetFlushIntervalMs(), 0,
                c.connectorName(), c.signalTable(), c.heartbeatTable(), c.snapshotChunkSize(),
                c.backfillProgressIntervalMs());

        assertThat(c.heartbeatsEnabled()).isTrue();
        assertThat(off.heartbeatsEnabled()).isFalse();
    }

    @Test
    void everySupportedSnapshotModeIsAccepted() {
        for (SnapshotMode mode : SnapshotMode.values()) {
            ConfigReader reader = new ConfigReader(Map.of("source.snapshot.mode", mode.id()));
            assertThat(ConnectorConfig.from(reader).snapshotMode()).isEqualTo(mode);
            assertThat(reader.problems()).isEmpty();
        }
    }

    @Test
    void passwordIsMaskedInToStringAndEffectiveConfig() {
        ConfigReader reader = new ConfigReader(Map.of("source.password", "hunter2"));
        ConnectorConfig c = ConnectorConfig.from(reader);

        assertThat(c.password()).isEqualTo("hunter2");
        assertThat(c.toString()).doesNotContain("hunter2").contains("password=****");
        assertThat(reader.effective()).containsEntry("source.password", "****");
    }

    @Test
    void badPasswordIsNeverEchoedInProblems() {
        ConfigReader reader = new ConfigReader(Map.of("source.password", "hunter2", "source.port", "x"));
        ConnectorConfig.from(reader);

        assertThatThrownBy(reader::finish).hasMessageNotContaining("hunter2");
    }
}
