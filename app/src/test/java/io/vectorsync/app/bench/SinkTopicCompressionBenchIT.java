package io.vectorsync.app.bench;

import io.vectorsync.core.json.JsonSerde;
import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.streams.embedding.MiniLmEmbeddingProvider;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A measurement, not a check of speed: bytes per row on a sink topic and producer rows/s with
 * {@code compression.type} none (the baseline), lz4 and zstd, in one run, on the same rows (generated 20-word
 * sentences embedded by the in-process MiniLM, serialised as the streams worker writes an {@link EnrichedChange} to
 * a sink topic) and a producer set as the streams worker's (acks=all, idempotent, linger 5 ms). Bytes are the
 * partition's size on the broker's disk. What it asserts is exactness: every record reads back byte for byte, so
 * vectors round-trip bit for bit. Figures in docs/benchmarks.md.
 */
@ExtendWith(LocalServers.class)
class SinkTopicCompressionBenchIT {
    private static final int ROWS = Integer.getInteger("bench.compression.rows", 4_000);
    private static final List<String> TYPES = List.of("none", "lz4", "zstd");

    private record Figures(String type, long bytes, double seconds) {
    }

    @Test
    void bytesPerRowAndRowsPerSecondOfEachCompressionAgainstNone() throws Exception {
        Services servers = LocalServers.get();
        List<byte[]> values = rows();
        String suffix = Services.uniqueSuffix();
        Map<String, Object> client = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafkaBootstrap());
        Map<String, Figures> figures = new LinkedHashMap<>();
        try (Admin admin = Admin.create(client)) {
            // A warm-up round, so the first measured codec does not pay for the JIT and the connections.
            for (String type : TYPES) {
                produce(client, admin, "bench.compress.warmup." + type + "." + suffix, type,
                        values.subList(0, values.size() / 4));
            }
            for (String type : TYPES) {
                figures.put(type, produce(client, admin, "bench.compress." + type + "." + suffix, type, values));
            }
        }

        Figures none = figures.get("none");
        long plain = values.stream().mapToLong(v -> v.length).sum();
        System.out.printf(Locale.ROOT, "%nsink topic, %d rows, %.0f B of JSON per row (384-d vectors as JSON)%n",
                ROWS, (double) plain / ROWS);
        System.out.printf(Locale.ROOT, "%-6s %12s %10s %10s %15s%n", "codec", "bytes/row", "vs none", "rows/s",
                "rows/s vs none");
        for (Figures f : figures.values()) {
            System.out.printf(Locale.ROOT, "%-6s %12.0f %10.3f %10.0f %15.2f%n", f.type(), (double) f.bytes() / ROWS,
                    (double) f.bytes() / none.bytes(), ROWS / f.seconds(), none.seconds() / f.seconds());
        }
        assertThat(figures.keySet()).containsExactlyElementsOf(TYPES);
    }

    private static List<byte[]> rows() {
        List<String> texts = new SentenceGenerator(42).sentences(ROWS);
        List<byte[]> values = new ArrayList<>();
        MiniLmEmbeddingProvider model = new MiniLmEmbeddingProvider();
        JsonSerde<EnrichedChange> serde = new JsonSerde<>(EnrichedChange.class);
        for (int from = 0; from < ROWS; from += 64) {
            List<String> batch = texts.subList(from, Math.min(ROWS, from + 64));
            List<float[]> vectors = model.embed(batch);
            for (int i = 0; i < batch.size(); i++) {
                int n = from + i;
                String content = "Note " + n + ": " + batch.get(i);
                EnrichedChange c = new EnrichedChange("articles", String.valueOf(n), EnrichedChange.Kind.UPSERT,
                        content, Map.of("title", "Note " + n, "lang", "en"), vectors.get(i),
                        MiniLmEmbeddingProvider.MODEL_ID, Integer.toHexString(content.hashCode()).repeat(8),
                        100_000L + n, 1_765_000_000_000L + n);
                values.add(serde.serializer().serialize("vectorsync.sink.pgvector", c));
            }
        }
        return values;
    }

    private static Figures produce(Map<String, Object> client, Admin admin, String topic, String type,
                                   List<byte[]> values) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        Map<String, Object> p = new HashMap<>(client);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, type);
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < values.size(); i++) {
                producer.send(new ProducerRecord<>(topic, String.valueOf(i).getBytes(), values.get(i)));
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        readBackExactly(client, topic, values);
        TopicPartition tp = new TopicPartition(topic, 0);
        long bytes = 0;
        for (Map<String, LogDirDescription> dirs : admin.describeLogDirs(brokers(admin)).allDescriptions().get()
                .values()) {
            for (LogDirDescription d : dirs.values()) {
                ReplicaInfo r = d.replicaInfos().get(tp);
                bytes += r == null ? 0 : r.size();
            }
        }
        admin.deleteTopics(Set.of(topic)).all().get();
        assertThat(bytes).as("bytes of %s on disk", topic).isPositive();
        return new Figures(type, bytes, seconds);
    }

    private static List<Integer> brokers(Admin admin) throws Exception {
        return admin.describeCluster().nodes().get().stream().map(n -> n.id()).toList();
    }

    private static void readBackExactly(Map<String, Object> client, String topic, List<byte[]> values) {
        Map<String, Object> c = new HashMap<>(client);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<byte[]> read = new ArrayList<>();
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    read.add(r.value());
                }
                return read.size() >= values.size();
            });
        }
        assertThat(read).hasSize(values.size());
        for (int i = 0; i < values.size(); i++) {
            assertThat(Arrays.equals(read.get(i), values.get(i))).as("record %d of %s", i, topic).isTrue();
        }
    }
}
