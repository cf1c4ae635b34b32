package io.vectorsync.app;

import com.pgvector.PGvector;
import io.vectorsync.app.pipeline.Pipeline;
import io.vectorsync.core.model.ContentHash;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.sink.api.SinkUnavailableException;
import io.vectorsync.sink.api.StoredDocument;
import io.vectorsync.testkit.Services;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An isolated pipeline on the shared test servers: its own source and sink databases, and unique pipeline, slot,
 * publication, offsets topic and streams application, so test classes never see each other's data.
 */
final class PipelineFixture {
    final Services servers;
    final String suffix = Services.uniqueSuffix();
    final String sourceDb;
    final String sinkDb;

    /** One document as the source says it should be, or as pgvector holds it. */
    record Doc(String content, String author) {
    }

    PipelineFixture(Services servers) throws SQLException {
        this.servers = servers;
        this.sourceDb = servers.freshDatabase("src");
        this.sinkDb = servers.freshDatabase("sink");
    }

    String slot() {
        return "it_" + suffix;
    }

    Map<String, String> config(Path stateDir) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("kafka.bootstrap.servers", servers.kafkaBootstrap());
        c.put("kafka.topic.partitions", "2");
        c.put("pipeline.name", "it_" + suffix);
        c.put("source.host", servers.pgHost());
        c.put("source.port", Integer.toString(servers.pgPort()));
        c.put("source.database", sourceDb);
        c.put("source.slot.name", slot());
        c.put("source.publication.name", "it_" + suffix);
        c.put("source.offsets.topic", "it_" + suffix + ".offsets");
        c.put("streams.application.id", "it-" + suffix);
        c.put("streams.state.dir", stateDir.toString());
        c.put("sink.pgvector.url", servers.jdbcUrl(sinkDb));
        c.put("embedding.batch.max.wait.ms", "50");
        c.put("http.port", "0");
        return c;
    }

    static void mapCollection(Map<String, String> config, String collection, String table) {
        config.put("collections." + collection + ".table", "public." + table);
        config.put("collections." + collection + ".id", "id");
        config.put("collections." + collection + ".template", "{title}: {body}");
        config.put("collections." + collection + ".metadata", "author");
    }

    void createDocumentTable(String table) throws SQLException {
        sql(sourceDb, "CREATE TABLE " + table + " (id int PRIMARY KEY, title text NOT NULL, body text NOT NULL,"
                + " author text)");
    }

    /**
     * Inserts rows {@code from}..{@code to} into a table made by {@link #createDocumentTable}, in one transaction:
     * title "Document i", a random sentence seeded by {@code from}, author "author(i % 7)".
     */
    void insertDocuments(String table, int from, int to) throws SQLException {
        try (Connection c = servers.connect(sourceDb);
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
                     + " (id, title, body, author) VALUES (?, ?, ?, ?)")) {
            c.setAutoCommit(false);
            Random random = new Random(from);
            for (int i = from; i <= to; i++) {
                ps.setInt(1, i);
                ps.setString(2, "Document " + i);
                ps.setString(3, PipelineIT.sentence(random));
                ps.setString(4, "author" + (i % 7));
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        }
    }

    void sql(String database, String statement) throws SQLException {
        try (Connection c = servers.connect(database); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    /** The documents the source table implies: id → ("{title}: {body}", author). */
    Map<String, Doc> expected(String table) throws SQLException {
        Map<String, Doc> docs = new TreeMap<>();
        try (Connection c = servers.connect(sourceDb); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, title, body, author FROM " + table)) {
            while (rs.next()) {
                docs.put(Integer.toString(rs.getInt(1)), new Doc(rs.getString(2) + ": " + rs.getString(3),
                        rs.getString(4)));
            }
        }
        return docs;
    }

    /** What pgvector holds for the collection: id → (content, metadata author); empty if the table is not there. */
    Map<String, Doc> stored(String collection) throws SQLException {
        Map<String, Doc> docs = new TreeMap<>();
        try (Connection c = servers.connect(sinkDb); Statement s = c.createStatement()) {
            if (!tableExists(c, collection)) {
                return docs;
            }
            try (ResultSet rs = s.executeQuery("SELECT id, content, metadata->>'author' FROM " + collection)) {
                while (rs.next()) {
                    docs.put(rs.getString(1), new Doc(rs.getString(2), rs.getString(3)));
                }
            }
        }
        return docs;
    }

    Map<String, float[]> storedVectors(String collection) throws SQLException {
        Map<String, float[]> vectors = new TreeMap<>();
        try (Connection c = servers.connect(sinkDb); Statement s = c.createStatement()) {
            PGvector.addVectorType(c);
            try (ResultSet rs = s.executeQuery("SELECT id, embedding FROM " + collection)) {
                while (rs.next()) {
                    PGvector v = (PGvector) rs.getObject(2);
                    vectors.put(rs.getString(1), v == null ? null : v.toArray());
                }
            }
        }
        return vectors;
    }

    /** Drops this pipeline's replication slot; fails while the slot is still in use, so callers can wait on it. */
    void dropSlot() throws SQLException {
        try (Connection c = servers.connect(sourceDb);
             PreparedStatement drop = c.prepareStatement("SELECT pg_drop_replication_slot(slot_name) FROM "
                     + "pg_replication_slots WHERE slot_name = ? AND NOT active");
             PreparedStatement left = c.prepareStatement("SELECT count(*) FROM pg_replication_slots WHERE slot_name = ?")) {
            drop.setString(1, slot());
            drop.execute();
            left.setString(1, slot());
            try (ResultSet rs = left.executeQuery()) {
                rs.next();
                if (rs.getInt(1) != 0) {
                    throw new IllegalStateException("replication slot " + slot() + " is still active");
                }
            }
        }
    }

    private static boolean tableExists(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, "public." + table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    /**
     * Inserts {@code count} rows from id {@code from} in one transaction into a table made by
     * {@link #createDocumentTable}: title "Row i", a random sentence, author "author(i % 5)".
     */
    void insertRows(String table, int from, int count, Random random) throws SQLException {
        try (Connection c = servers.connect(sourceDb);
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?, ?)")) {
            c.setAutoCommit(false);
            for (int i = from; i < from + count; i++) {
                ps.setInt(1, i);
                ps.setString(2, "Row " + i);
                ps.setString(3, PipelineIT.sentence(random));
                ps.setString(4, "author" + (i % 5));
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        }
    }

    /**
     * Up to 20 ids whose document in the store is missing or differs from the source in text, content hash, author
     * or has no vector; empty when the store holds every expected document as the source implies it.
     */
    static List<String> differences(SinkReader reader, String collection, Map<String, Doc> expected)
            throws SinkUnavailableException {
        Map<String, StoredDocument> stored = reader.findAll(collection, expected.keySet());
        return expected.entrySet().stream().filter(e -> {
            StoredDocument d = stored.get(e.getKey());
            return d == null || !e.getValue().content().equals(d.content())
                    || !ContentHash.sha256(e.getValue().content()).equals(d.contentHash())
                    || !Objects.equals(e.getValue().author(), d.metadata().get("author")) || d.embedding() == null;
        }).map(Map.Entry::getKey).limit(20).toList();
    }

    /** Waits for {@code expected} dead letters on {@code topic}, then reads a little longer so that any extra one shows. */
    List<ConsumerRecord<String, String>> deadLetters(String topic, int expected, Duration timeout) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + Services.uniqueSuffix(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            consumer.subscribe(List.of(topic));
            await().atMost(timeout).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                return out.size() >= expected;
            });
            consumer.poll(Duration.ofMillis(500)).forEach(out::add);
        }
        assertThat(out).as("dead letters").hasSize(expected);
        return out;
    }

    static String header(ConsumerRecord<String, String> record, String key) {
        Header h = record.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Writes the configuration as a properties file, for CLI commands run with {@code --config}. */
    static Path writeConfig(Path file, Map<String, String> config) throws IOException {
        Properties props = new Properties();
        props.putAll(config);
        try (Writer out = Files.newBufferedWriter(file)) {
            props.store(out, null);
        }
        return file;
    }

    /** {@code GET path} on the pipeline's HTTP API: "status body". */
    static String get(Pipeline pipeline, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                + pipeline.httpPort().orElseThrow() + path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }
}
