package io.vectorsync.connector;

import io.vectorsync.core.config.ConfigKey;
import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.config.PostgresTls;
import io.vectorsync.core.model.Identifiers;
import io.vectorsync.core.model.TableId;
import io.vectorsync.core.source.SourceDatabase;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where the source PostgreSQL is and how the Debezium engine reads it, {@code source.*}.
 * The password never appears in {@link #toString()}.
 */
public record ConnectorConfig(String host, int port, String database, String user, String password, String slotName,
                              String publicationName, String offsetsTopic, SnapshotMode snapshotMode,
                              long offsetFlushIntervalMs, long heartbeatIntervalMs, String connectorName,
                              TableId signalTable, TableId heartbeatTable, int snapshotChunkSize,
                              long backfillProgressIntervalMs, PostgresTls tls) {

    public ConnectorConfig {
        tls = tls == null ? PostgresTls.DEFAULT : tls;
    }

    /** A configuration with the driver's default TLS (prefer). */
    public ConnectorConfig(String host, int port, String database, String user, String password, String slotName,
                           String publicationName, String offsetsTopic, SnapshotMode snapshotMode,
                           long offsetFlushIntervalMs, long heartbeatIntervalMs, String connectorName,
                           TableId signalTable, TableId heartbeatTable, int snapshotChunkSize,
                           long backfillProgressIntervalMs) {
        this(host, port, database, user, password, slotName, publicationName, offsetsTopic, snapshotMode,
                offsetFlushIntervalMs, heartbeatIntervalMs, connectorName, signalTable, heartbeatTable,
                snapshotChunkSize, backfillProgressIntervalMs, PostgresTls.DEFAULT);
    }

    /**
     * The snapshot modes vectorsync supports. Debezium has more; the others (never, always, initial_only, custom …)
     * either stop after the snapshot or re-read every row on each start, which the pipeline does not need.
     */
    public enum SnapshotMode {
        /** Snapshot every captured table once, then stream. */
        INITIAL("initial"),
        /** Stream only; existing rows arrive later through an incremental snapshot (backfill). */
        NO_DATA("no_data"),
        /** Snapshot again when the stored offsets are missing or no longer usable. */
        WHEN_NEEDED("when_needed");

        private final String id;

        SnapshotMode(String id) {
            this.id = id;
        }

        /** The spelling Debezium and the config use. */
        public String id() {
            return id;
        }
    }

    // PostgreSQL slot names may only hold lower-case letters, digits and underscores (at most 63 bytes).
    private static final Pattern SLOT = Pattern.compile("[a-z0-9_]{1,63}");
    // Kafka's own rule for topic names.
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    public static final ConfigKey<String> HOST = ConfigKey.string("source.host", "127.0.0.1",
            "Source PostgreSQL host.");
    public static final ConfigKey<Integer> PORT = ConfigKey.intInRange("source.port", 55432, 1, 65535,
            "Source PostgreSQL port.");
    public static final ConfigKey<String> DATABASE = ConfigKey.string("source.database", "postgres",
            "Source database holding the captured tables.");
    public static final ConfigKey<String> USER = ConfigKey.string("source.user", "postgres",
            "Source user; needs the REPLICATION attribute and SELECT on the captured tables.");
    public static final ConfigKey<String> PASSWORD = ConfigKey.secret("source.password", "Source user's password.");
    public static final ConfigKey<String> SLOT_NAME = new ConfigKey<>("source.slot.name", "vectorsync",
            "Logical replication slot; it keeps the WAL vectorsync has not read yet.", false,
            ConnectorConfig::slotName);
    public static final ConfigKey<String> PUBLICATION_NAME = new ConfigKey<>("source.publication.name", "vectorsync",
            "Publication of the captured tables; created and kept in step by the connector.", false,
            ConnectorConfig::publicationName);
    public static final ConfigKey<String> OFFSETS_TOPIC = new ConfigKey<>("source.offsets.topic", "vectorsync.offsets",
            "Compacted Kafka topic holding the connector's source offsets.", false, ConnectorConfig::topic);
    public static final ConfigKey<SnapshotMode> SNAPSHOT_MODE = ConfigKey.enumKey("source.snapshot.mode",
            SnapshotMode.INITIAL, SnapshotMode.class, SnapshotMode::id,
            "What to read when there are no stored offsets: initial, no_data or when_needed.");
    public static final ConfigKey<Long> OFFSET_FLUSH_INTERVAL_MS = ConfigKey.positiveLong(
            "source.offset.flush.interval.ms", 1000,
            "How often acknowledged source offsets are written to the offsets topic.");
    public static final ConfigKey<Long> HEARTBEAT_INTERVAL_MS = ConfigKey.positiveLong("source.heartbeat.interval.ms",
            10000, "How often a heartbeat is sent and the heartbeat table (source.heartbeat.table) written, so the"
                    + " slot advances and lag stays honest when nothing changes.");
    public static final ConfigKey<String> CONNECTOR_NAME = ConfigKey.string("source.connector.name", "vectorsync",
            "Engine name; part of the key under which offsets are stored.");
    public static final ConfigKey<TableId> SIGNAL_TABLE = new ConfigKey<>("source.signal.table",
            "public.vectorsync_signal", "Table (schema.table) through which the connector starts Debezium incremental"
                    + " snapshots (backfills) and Debezium writes its snapshot watermarks; created when missing and"
                    + " added to the publication; each connector needs its own, since every connector on the"
                    + " database reads every signal. The source user needs INSERT and DELETE on it.", false,
            ConnectorConfig::ownTable);
    public static final ConfigKey<TableId> HEARTBEAT_TABLE = new ConfigKey<>("source.heartbeat.table",
            "public.vectorsync_heartbeat", "Table (schema.table) of one row that the connector rewrites on every"
                    + " heartbeat, so that its replication slot advances while the captured tables are idle and other"
                    + " databases of the cluster write WAL; created when missing and added to the publication; its"
                    + " changes are not published. Connectors on one database may share it. The source user needs"
                    + " SELECT, INSERT and UPDATE on it.", false, ConnectorConfig::ownTable);
    public static final ConfigKey<Integer> SNAPSHOT_CHUNK_SIZE = ConfigKey.intInRange("source.snapshot.chunk.size",
            1024, 1, 1_000_000, "Rows a backfill (incremental snapshot) reads per chunk; each chunk is held in"
                    + " memory until its window closes.");
    public static final ConfigKey<Long> BACKFILL_PROGRESS_INTERVAL_MS = ConfigKey.positiveLong(
            "source.backfill.progress.interval.ms", 1000,
            "How often, at most, the progress of a running backfill is published; its end is published at once."
                    + " Also how often the initial snapshot's progress per table is published (its end within one"
                    + " interval).");
    public static final PostgresTls.Keys TLS = PostgresTls.keys("source.", "the source PostgreSQL");
    public static final List<ConfigKey<?>> KEYS = Stream.concat(Stream.of(HOST, PORT, DATABASE, USER, PASSWORD,
            SLOT_NAME, PUBLICATION_NAME, OFFSETS_TOPIC, SNAPSHOT_MODE, OFFSET_FLUSH_INTERVAL_MS, HEARTBEAT_INTERVAL_MS,
            CONNECTOR_NAME, SIGNAL_TABLE, HEARTBEAT_TABLE, SNAPSHOT_CHUNK_SIZE, BACKFILL_PROGRESS_INTERVAL_MS),
            TLS.all().stream()).toList();

    public static ConnectorConfig from(ConfigReader reader) {
        ConnectorConfig c = new ConnectorConfig(reader.get(HOST), reader.get(PORT), reader.get(DATABASE),
                reader.get(USER), reader.get(PASSWORD), reader.get(SLOT_NAME), reader.get(PUBLICATION_NAME),
                reader.get(OFFSETS_TOPIC), reader.get(SNAPSHOT_MODE), reader.get(OFFSET_FLUSH_INTERVAL_MS),
                reader.get(HEARTBEAT_INTERVAL_MS), reader.get(CONNECTOR_NAME), reader.get(SIGNAL_TABLE),
                reader.get(HEARTBEAT_TABLE), reader.get(SNAPSHOT_CHUNK_SIZE),
                reader.get(BACKFILL_PROGRESS_INTERVAL_MS), PostgresTls.from(reader, TLS));
        // Their columns differ: Debezium's watermark inserts into a heartbeat table would fail, and so would the
        // heartbeat upsert into a signal table.
        if (!reader.hasProblem(SIGNAL_TABLE) && !reader.hasProblem(HEARTBEAT_TABLE)
                && c.signalTable().equals(c.heartbeatTable())) {
            reader.problem(HEARTBEAT_TABLE.name(), c.heartbeatTable().toString(), "it is also "
                    + SIGNAL_TABLE.name() + "; the heartbeat table must be a table of its own");
        }
        return c;
    }

    /**
     * Whether Debezium sends heartbeats, and so writes to the heartbeat table and captures it. Always so for a
     * configuration read from keys; a record built by hand may switch heartbeats off with 0, as Debezium does.
     */
    public boolean heartbeatsEnabled() {
        return heartbeatIntervalMs > 0;
    }

    /** The source server, user and password: what every plain JDBC connection to the source is opened from. */
    public SourceDatabase sourceDatabase() {
        return new SourceDatabase(host, port, database, user, password, tls);
    }

    /** {@code host:port/database}: how problems and logs name the source, never with credentials. */
    public String address() {
        return sourceDatabase().address();
    }

    public String jdbcUrl() {
        return sourceDatabase().jdbcUrl();
    }

    @Override
    public String toString() {
        return "ConnectorConfig[host=" + host + ", port=" + port + ", database=" + database + ", user=" + user
                + ", password=" + (password.isEmpty() ? "" : "****") + ", slotName=" + slotName
                + ", publicationName=" + publicationName + ", offsetsTopic=" + offsetsTopic
                + ", snapshotMode=" + snapshotMode.id() + ", offsetFlushIntervalMs=" + offsetFlushIntervalMs
                + ", heartbeatIntervalMs=" + heartbeatIntervalMs + ", connectorName=" + connectorName
                + ", signalTable=" + signalTable + ", heartbeatTable=" + heartbeatTable
                + ", snapshotChunkSize=" + snapshotChunkSize
                + ", backfillProgressIntervalMs=" + backfillProgressIntervalMs + "]";
    }

    private static String slotName(String s) {
        String v = s.trim();
        if (!SLOT.matcher(v).matches()) {
            throw new IllegalArgumentException(
                    "a replication slot name may only hold lower-case letters, digits and '_' (at most 63)");
        }
        return v;
    }

    // Debezium creates the publication with an unquoted name, which PostgreSQL folds to lower case, and then looks
    // it up by the exact name: an upper-case letter would make it recreate the publication on every start.
    private static String publicationName(String s) {
        String v = s.trim();
        if (!Identifiers.isValid(v) || !v.equals(v.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(
                    "a publication name must be a lower-case identifier matching [a-z_][a-z0-9_]* (at most 63)");
        }
        return v;
    }

    // Lower case only: such a name reads the same quoted and unquoted, so our quoted DDL, Debezium's watermark
    // INSERTs and an operator's unquoted psql all name the one table (signal and heartbeat tables alike).
    private static TableId ownTable(String s) {
        String v = s.trim();
        int dot = v.indexOf('.');
        if (dot < 0 || !Identifiers.isValid(v.substring(0, dot)) || !Identifiers.isValid(v.substring(dot + 1))
                || !v.equals(v.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("it must be schema.table in lower case, each part matching"
                    + " [a-z_][a-z0-9_]* (at most 63)");
        }
        return new TableId(v.substring(0, dot), v.substring(dot + 1));
    }

    private static String topic(String s) {
        String v = s.trim();
        if (!TOPIC.matcher(v).matches() || v.equals(".") || v.equals("..")) {
            throw new IllegalArgumentException("a Kafka topic name may only hold letters, digits, '.', '_' and '-'");
        }
        return v;
    }
}
