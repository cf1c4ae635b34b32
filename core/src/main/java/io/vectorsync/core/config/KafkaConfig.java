package io.vectorsync.core.config;

import io.vectorsync.core.Topics;
import io.vectorsync.core.model.Identifiers;

import org.apache.kafka.clients.CommonClientConfigs;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Where Kafka is, how vectorsync's own topics are created, and how large a record vectorsync writes may be.
 *
 * @param maxRecordBytes the largest record (key and value, UTF-8) vectorsync publishes; larger ones are
 *                       dead-lettered
 * @param retentionMs    {@code retention.ms} of the CDC, sink, heartbeat and backfill-request topics it creates
 *                       ({@code -1}: forever)
 * @param dlqRetentionMs {@code retention.ms} of the dead-letter topic it creates
 * @param security       {@code kafka.client.*}: security properties every client gets
 */
public record KafkaConfig(String bootstrapServers, int partitions, short replicationFactor, Topics topics,
                          int maxRecordBytes, long retentionMs, long dlqRetentionMs, KafkaClientSecurity security) {

    /** Room a produce request and a topic allow beyond the record itself: batch and record framing, headers. */
    public static final int FRAMING_BYTES = 64 * 1024;

    public static final ConfigKey<String> BOOTSTRAP = ConfigKey.string("kafka.bootstrap.servers", "127.0.0.1:19092",
            "Kafka bootstrap servers.");
    public static final ConfigKey<Integer> PARTITIONS = ConfigKey.intInRange("kafka.topic.partitions", 3, 1, 1024,
            "Partitions of the topics vectorsync creates (cdc.*, vectorsync.*); more partitions, more parallel workers.");
    public static final ConfigKey<Integer> REPLICATION = ConfigKey.intInRange("kafka.topic.replication.factor", 1, 1,
            32, "Replication factor of the topics vectorsync creates.");
    public static final ConfigKey<String> PIPELINE = new ConfigKey<>("pipeline.name", "vectorsync",
            "Prefix of vectorsync's own topics (<name>.sink.<store>, <name>.dlq) and sink consumer groups"
                    + " (<name>-sink-<store>), so several pipelines can share one Kafka cluster.", false, name -> {
                if (!Identifiers.isValid(name.trim())) {
                    throw new IllegalArgumentException("it must match [A-Za-z_][A-Za-z0-9_]*");
                }
                return name.trim();
            });
    public static final ConfigKey<Integer> MAX_RECORD_BYTES = ConfigKey.intInRange("kafka.max.record.bytes",
            1_000_000, 65_536, 256 * 1024 * 1024, "Largest record vectorsync writes to Kafka, in bytes (key and value,"
                    + " UTF-8). A change event or enriched change over it is dead-lettered with its size and the limit"
                    + " (metrics vectorsync.capture.oversized, vectorsync.streams.oversized), and later changes keep"
                    + " flowing. Producers may send this plus 64 KiB; topics vectorsync creates get max.message.bytes"
                    + " to match, the Kafka Streams state topics and producer twice this plus 64 KiB (a waiting change"
                    + " holds its event twice).");
    /** Shortest retention accepted: a sink down longer than its topic's retention loses changes (then detected). */
    public static final long MIN_RETENTION_MS = 3_600_000L;
    public static final ConfigKey<Long> RETENTION_MS = retention("kafka.topic.retention.ms", 604_800_000L,
            "retention.ms of the CDC, sink, heartbeat and backfill-request topics vectorsync creates (default 7"
                    + " days; -1 keeps records forever). A sink stopped longer than this loses the changes that"
                    + " expired: it detects it on restart and marks the collection as needing a backfill (refused"
                    + " CUTOVER, /health DEGRADED, metric vectorsync.sink.retention.gap). Existing topics keep"
                    + " theirs.");
    public static final ConfigKey<Long> DLQ_RETENTION_MS = retention("kafka.dlq.retention.ms", 2_592_000_000L,
            "retention.ms of the dead-letter topic vectorsync creates (default 30 days; -1 forever): how long a"
                    + " dead letter can still be listed and replayed (vectorsync dlq).");
    public static final List<ConfigKey<?>> KEYS = List.of(BOOTSTRAP, PARTITIONS, REPLICATION, PIPELINE,
            MAX_RECORD_BYTES, RETENTION_MS, DLQ_RETENTION_MS, KafkaClientSecurity.KEY);

    /** Without client security (a PLAINTEXT broker). */
    public KafkaConfig(String bootstrapServers, int partitions, short replicationFactor, Topics topics,
                       int maxRecordBytes, long retentionMs, long dlqRetentionMs) {
        this(bootstrapServers, partitions, replicationFactor, topics, maxRecordBytes, retentionMs, dlqRetentionMs,
                KafkaClientSecurity.NONE);
    }

    /** With the default record limit. */
    public KafkaConfig(String bootstrapServers, int partitions, short replicationFactor, Topics topics) {
        this(bootstrapServers, partitions, replicationFactor, topics, Integer.parseInt(MAX_RECORD_BYTES.defaultValue()));
    }

    /** With the default retentions. */
    public KafkaConfig(String bootstrapServers, int partitions, short replicationFactor, Topics topics,
                       int maxRecordBytes) {
        this(bootstrapServers, partitions, replicationFactor, topics, maxRecordBytes,
                Long.parseLong(RETENTION_MS.defaultValue()), Long.parseLong(DLQ_RETENTION_MS.defaultValue()));
    }

    public static KafkaConfig from(ConfigReader reader) {
        return new KafkaConfig(reader.get(BOOTSTRAP), reader.get(PARTITIONS), reader.get(REPLICATION).shortValue(),
                new Topics(reader.get(PIPELINE)), reader.get(MAX_RECORD_BYTES), reader.get(RETENTION_MS),
                reader.get(DLQ_RETENTION_MS), KafkaClientSecurity.from(reader));
    }

    /**
     * What every Kafka client vectorsync opens starts from: the bootstrap servers and the client security
     * ({@code kafka.client.*}). Callers add their own settings (serializers, group, timeouts) to the copy.
     */
    public Map<String, Object> clientProperties() {
        Map<String, Object> p = new HashMap<>(security.clientProperties());
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
    }

    /** {@link #clientProperties()} as {@link Properties}, for the clients and libraries that take those. */
    public Properties clientPropertiesAsProperties() {
        Properties p = new Properties();
        p.putAll(clientProperties());
        return p;
    }

    /** This configuration with other client security (tests; a CLI acting as another principal). */
    public KafkaConfig withSecurity(KafkaClientSecurity other) {
        return new KafkaConfig(bootstrapServers, partitions, replicationFactor, topics, maxRecordBytes, retentionMs,
                dlqRetentionMs, other);
    }

    /** -1 (forever) or at least {@link #MIN_RETENTION_MS}. */
    private static ConfigKey<Long> retention(String name, long defaultValue, String description) {
        return new ConfigKey<>(name, Long.toString(defaultValue), description, false, s -> {
            long v;
            try {
                v = Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("it must be a whole number of milliseconds, or -1 for forever");
            }
            if (v != -1 && v < MIN_RETENTION_MS) {
                throw new IllegalArgumentException("it must be -1 (forever) or at least " + MIN_RETENTION_MS
                        + " (1 hour): a sink stopped longer than the retention loses changes");
            }
            return v;
        });
    }

    /** {@code max.request.size} of vectorsync's producers, and {@code max.message.bytes} of the topics it creates. */
    public int maxRequestBytes() {
        return maxRecordBytes + FRAMING_BYTES;
    }

    /**
     * The same bounds for Kafka Streams' producer and its state topics: a change waiting to be embedded is stored
     * with its raw event and the event parsed, so twice the record limit.
     */
    public int streamsMaxRequestBytes() {
        return 2 * maxRecordBytes + FRAMING_BYTES;
    }
}
