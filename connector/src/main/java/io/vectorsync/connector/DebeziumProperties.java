package io.vectorsync.connector;

import io.vectorsync.core.Topics;
import io.vectorsync.core.config.KafkaConfig;
import io.vectorsync.core.model.TableId;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/** The Debezium engine's properties, derived from vectorsync's config: no I/O, so every choice is unit-tested. */
public final class DebeziumProperties {
    static final String CONNECTOR_CLASS = "io.debezium.connector.postgresql.PostgresConnector";
    static final String KAFKA_OFFSET_STORE = "org.apache.kafka.connect.storage.KafkaOffsetBackingStore";
    /**
     * Where Debezium's sink notification channel sends its notifications. Not a Kafka topic: the publisher reads
     * these records in-process and does not forward them (see {@link CdcPublisher}).
     */
    public static final String NOTIFICATIONS = "__vectorsync-notifications";

    private DebeziumProperties() {
    }

    /**
     * @param tables the tables to capture, at least one: an empty include list would make Debezium capture every
     *               table of the database
     */
    public static Properties build(ConnectorConfig source, KafkaConfig kafka, List<TableId> tables) {
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("at least one table to capture is needed");
        }
        Properties p = new Properties();
        p.setProperty("name", source.connectorName());
        p.setProperty("connector.class", CONNECTOR_CLASS);

        p.setProperty("database.hostname", source.host());
        p.setProperty("database.port", Integer.toString(source.port()));
        p.setProperty("database.dbname", source.database());
        p.setProperty("database.user", source.user());
        p.setProperty("database.password", source.password());
        // TLS for the replication connection and Debezium's own JDBC connections, as for every other connection.
        source.tls().debeziumProperties().forEach(p::setProperty);

        // pgoutput is built into PostgreSQL 10+, so the source needs no extra plug-in.
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", source.slotName());
        p.setProperty("publication.name", source.publicationName());
        // The publication holds exactly the captured tables (the mapped ones, the signal and the heartbeat table),
        // so the WAL decoder never ships rows nobody reads.
        p.setProperty("publication.autocreate.mode", "filtered");
        p.setProperty("table.include.list", includeList(captured(source, tables)));
        p.setProperty("snapshot.mode", source.snapshotMode().id());

        // Destinations are cdc.<schema>.<table>, the names Topics.cdc(table) gives the rest of the pipeline.
        p.setProperty("topic.prefix", Topics.cdcPrefix());
        // A delete is fully described by its op=d event; a tombstone would only be one more record to skip.
        p.setProperty("tombstones.on.delete", "false");
        // Debezium skips TRUNCATE ("t") by default; vectorsync empties the mapped collections on it.
        p.setProperty("skipped.operations", "none");
        // Exact text for NUMERIC rather than Connect's base64 bytes, so templates render the number.
        p.setProperty("decimal.handling.mode", "string");
        p.setProperty("time.precision.mode", "connect");
        p.setProperty("heartbeat.interval.ms", Long.toString(source.heartbeatIntervalMs()));
        // Debezium's default, __debezium-heartbeat.<topic.prefix>, is the same for every pipeline on the cluster.
        p.setProperty("topic.heartbeat.name", kafka.topics().heartbeat());
        if (source.heartbeatsEnabled()) {
            // Debezium confirms a position to the slot only when a captured change arrives. While the captured
            // tables are idle and other databases of the cluster write WAL, none does, and the slot would keep all
            // that WAL; so each heartbeat writes a row of a captured table, whose change moves the slot along.
            // Unlike the signal table, Debezium does not add this table to the filter by itself: captured() does.
            p.setProperty("heartbeat.action.query", new HeartbeatTable(source.heartbeatTable()).actionQuery());
        }

        // Backfills are Debezium incremental snapshots. On PostgreSQL they need a signal table even when signals
        // come from elsewhere: Debezium writes its chunk watermarks there and sees them come back through the WAL.
        // vectorsync also sends the execute-snapshot signal through it (the source channel), because a row in the
        // table is durable in the same log as the data: a signal written while the connector is down is read when
        // it resumes, and a signal that was read is covered by the same offsets as the snapshot state it started.
        // Debezium adds the signal table to its table filter by itself, so filtered publication mode puts it in the
        // publication without it being in table.include.list (see BackfillIT).
        p.setProperty("signal.enabled.channels", "source");
        p.setProperty("signal.data.collection", source.signalTable().toString());
        p.setProperty("incremental.snapshot.chunk.size", Integer.toString(source.snapshotChunkSize()));
        // Each chunk's open watermark row is deleted when the chunk closes, so the signal table stays small.
        p.setProperty("incremental.snapshot.watermarking.strategy", "insert_delete");
        // The sink channel puts notifications into the engine's own record stream, in order with the snapshot's
        // rows: when "table scan completed" arrives, every row of that table's snapshot has been handed over.
        p.setProperty("notification.enabled.channels", "sink");
        p.setProperty("notification.sink.topic.name", NOTIFICATIONS);

        // Offsets live in Kafka beside the events, so any machine can resume the connector.
        p.setProperty("offset.storage", KAFKA_OFFSET_STORE);
        p.setProperty("offset.storage.topic", source.offsetsTopic());
        // One partition: the engine's offsets are a handful of keys and must be read back in order.
        p.setProperty("offset.storage.partitions", "1");
        p.setProperty("offset.storage.replication.factor", Short.toString(kafka.replicationFactor()));
        p.setProperty("offset.flush.interval.ms", Long.toString(source.offsetFlushIntervalMs()));
        p.setProperty("bootstrap.servers", kafka.bootstrapServers());
        // The offset store's producer, consumer and admin are built from the engine's top-level properties (as a
        // Connect worker's internal-topic clients are), so the client security goes there too.
        kafka.security().properties().forEach(p::setProperty);

        // Plain JSON, as the streams parser reads it: {"id":1} keys and {"before":…,"after":…,"source":…} values.
        p.setProperty("key.converter.schemas.enable", "false");
        p.setProperty("value.converter.schemas.enable", "false");
        return p;
    }

    /** The mapped tables and, when heartbeats write to it, the heartbeat table. */
    static List<TableId> captured(ConnectorConfig source, List<TableId> tables) {
        if (!source.heartbeatsEnabled()) {
            return tables;
        }
        List<TableId> captured = new ArrayList<>(tables);
        captured.add(source.heartbeatTable());
        return captured;
    }

    /**
     * Debezium matches each entry case-insensitively against the whole {@code schema.table}; {@code (?-i)} and the
     * escaped dot make each entry match that one table and nothing else.
     */
    static String includeList(List<TableId> tables) {
        return tables.stream().map(t -> "(?-i)" + t.schema() + "\\." + t.table()).distinct()
                .collect(Collectors.joining(","));
    }
}
