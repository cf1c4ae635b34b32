package io.vectorsync.app;

import com.pgvector.PGvector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.config.AppConfigLoader;
import io.vectorsync.app.pipeline.Pipeline;
import io.vectorsync.app.pipeline.Role;
import io.vectorsync.app.pipeline.Stores;
import io.vectorsync.app.validation.ValidationSetup;
import io.vectorsync.core.DeadLetterHeaders;
import io.vectorsync.core.model.ContentHash;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.sink.api.StoredDocument;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import io.vectorsync.validation.Selection;
import io.vectorsync.validation.ValidationContext;
import io.vectorsync.validation.ValidationReport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Vectors already in the source ({@code collections.<name>.vector}) end to end on the real servers, at 1536
 * dimensions: a pgvector {@code vector(1536)} column and a {@code real[]} column go to pgvector, Neo4j and Milvus
 * bit for bit (float32), with inserts, an update of the vector alone, an update of the text alone (the vector then
 * arrives as an unchanged TOAST value), deletes, and a row of the wrong width that is dead-lettered while later
 * rows flow. The embedding provider points at a port where nothing listens: were the model ever called, the changes
 * would be held and no store would match.
 */
@ExtendWith(LocalServers.class)
class SourceVectorsIT {
    private static final int DIMENSION = 1536;
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @TempDir
    static Path stateDir;

    private static PipelineFixture fx;
    private static AppConfig config;
    private static Pipeline pipeline;
    private static String vec;
    private static String arr;
    private static String js;
    private static final Map<SinkName, SinkReader> readers = new EnumMap<>(SinkName.class);

    /** A document as the source implies it. */
    record Expected(String title, float[] vector) {
    }

    @BeforeAll
    static void start() throws Exception {
        Services servers = LocalServers.get();
        fx = new PipelineFixture(servers);
        vec = "vec_" + fx.suffix;
        arr = "arr_" + fx.suffix;
        js = "js_" + fx.suffix;
        fx.sql(fx.sourceDb, "CREATE EXTENSION IF NOT EXISTS vector");
        fx.sql(fx.sourceDb, "CREATE TABLE " + vec + " (id int PRIMARY KEY, title text NOT NULL,"
                + " embedding vector(" + DIMENSION + "))");
        fx.sql(fx.sourceDb, "CREATE TABLE " + arr + " (id int PRIMARY KEY, title text NOT NULL, embedding real[])");
        // Debezium sends an unchanged TOASTed vector or real[] as NULL; the start-up check asks for this.
        fx.sql(fx.sourceDb, "ALTER TABLE " + vec + " REPLICA IDENTITY FULL");
        fx.sql(fx.sourceDb, "ALTER TABLE " + arr + " REPLICA IDENTITY FULL");
        // jsonb arrives as text, whose unchanged-TOAST placeholder the pipeline reads: the default identity will do.
        fx.sql(fx.sourceDb, "CREATE TABLE " + js + " (id int PRIMARY KEY, title text NOT NULL, embedding jsonb)");
        Map<String, String> raw = fx.config(stateDir);
        for (String name : List.of(vec, arr, js)) {
            raw.put("collections." + name + ".table", "public." + name);
            raw.put("collections." + name + ".id", "id");
            raw.put("collections." + name + ".template", "{title}");
            raw.put("collections." + name + ".vector", "embedding");
            raw.put("collections." + name + ".sinks", "pgvector,neo4j,milvus");
        }
        raw.put("sink.neo4j.uri", servers.neo4jUri());
        raw.put("sink.milvus.uri", servers.milvusUri());
        // The vectors' own model, for search queries; nothing listens there, and nothing must ever call it.
        raw.put("embedding.provider", "openai");
        raw.put("embedding.url", "http://127.0.0.1:9/v1");
        raw.put("embedding.model", "text-embedding-3-small");
        raw.put("embedding.dimension", Integer.toString(DIMENSION));
        config = AppConfigLoader.load(raw, true);
        for (SinkName store : SinkName.values()) {
            readers.put(store, Stores.reader(config, store));
        }
        pipeline = Pipeline.start(config, EnumSet.allOf(Role.class), new SimpleMeterRegistry());
    }

    @AfterAll
    static void stop() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
        readers.values().forEach(SinkReader::close);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(fx::dropSlot);
    }

    @Test
    void sourceVectorsOfEveryColumnTypeReachEveryStoreBitForBitABadWidthIsDeadLetteredAndValidationIsClean() throws Exception {
        Random random = new Random(14);
        insertVectors(vec, 1, 40, DIMENSION, random);
        insertArrays(arr, 1, 30, DIMENSION, random);
        insertJson(js, 1, 10, DIMENSION, random);
        awaitEveryStoreEqualsTheSource(vec, 40);
        awaitEveryStoreEqualsTheSource(arr, 30);
        awaitEveryStoreEqualsTheSource(js, 10);

        // The vector alone changes; the text alone changes (the vector arrives as an unchanged TOAST value).
        try (Connection c = fx.servers.connect(fx.sourceDb);
             PreparedStatement ps = c.prepareStatement("UPDATE " + vec + " SET embedding = ? WHERE id = ?")) {
            PGvector.addVectorType(c);
            for (int id = 1; id <= 5; id++) {
                ps.setObject(1, new PGvector(randomVector(DIMENSION, random)));
                ps.setInt(2, id);
                ps.executeUpdate();
            }
        }
        fx.sql(fx.sourceDb, "UPDATE " + vec + " SET title = title || ' (revised)' WHERE id BETWEEN 6 AND 10");
        fx.sql(fx.sourceDb, "UPDATE " + arr + " SET title = title || ' (revised)' WHERE id BETWEEN 6 AND 10");
        fx.sql(fx.sourceDb, "UPDATE " + js + " SET title = title || ' (revised)' WHERE id BETWEEN 1 AND 5");
        fx.sql(fx.sourceDb, "DELETE FROM " + js + " WHERE id = 10");
        try (Connection c = fx.servers.connect(fx.sourceDb);
             PreparedStatement ps = c.prepareStatement("UPDATE " + arr + " SET embedding = ? WHERE id = ?")) {
            for (int id = 1; id <= 5; id++) {
                ps.setArray(1, floats(c, randomVector(DIMENSION, random)));
                ps.setInt(2, id);
                ps.executeUpdate();
            }
        }
        fx.sql(fx.sourceDb, "DELETE FROM " + vec + " WHERE id > 35");
        fx.sql(fx.sourceDb, "DELETE FROM " + arr + " WHERE id > 25");
        // A real[] of the wrong width, then rows that must still flow.
        try (Connection c = fx.servers.connect(fx.sourceDb);
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + arr + " VALUES (?, ?, ?)")) {
            ps.setInt(1, 100);
            ps.setString(2, "Too short");
            ps.setArray(3, floats(c, new float[] {0.5f, 0.25f, 0.125f}));
            ps.executeUpdate();
        }
        insertArrays(arr, 101, 105, DIMENSION, random);

        Map<String, Expected> vecs = awaitEveryStoreEqualsTheSource(vec, 35);
        Map<String, Expected> arrs = awaitEveryStoreEqualsTheSource(arr, 30, "100");
        assertThat(vecs.get("7").title()).endsWith("(revised)");
        assertThat(arrs.get("7").title()).endsWith("(revised)");
        Map<String, Expected> jsons = awaitEveryStoreEqualsTheSource(js, 9);
        assertThat(jsons.get("3").title()).endsWith("(revised)");
        assertThat(arrs).containsKey("105").doesNotContainKey("100");

        List<ConsumerRecord<String, String>> letters = fx.deadLetters(config.kafka().topics().deadLetters(), 1,
                Duration.ofMinutes(1));
        assertThat(PipelineFixture.header(letters.get(0), DeadLetterHeaders.ERROR_MESSAGE)).isEqualTo("collection '"
                + arr + "' key '100' column 'embedding': expected 1536 dimensions (embedding.dimension), got 3");
        for (SinkName store : SinkName.values()) {
            assertThat(readers.get(store).findAll(arr, List.of("100"))).as("%s holds the refused row", store)
                    .isEmpty();
        }

        // The operator removes the refused row; then the validator finds every store equal to the source, comparing
        // the source's vectors as they are (a call to the model would fail: nothing listens at its URL).
        fx.sql(fx.sourceDb, "DELETE FROM " + arr + " WHERE id = 100");
        List<Selection.Target> targets = Selection.resolve(config.mappings().collections(), List.of(vec, arr, js),
                List.of());
        try (ValidationSetup setup = ValidationSetup.open(config, targets, ValidationContext.PageHook.always(),
                System.err, false)) {
            ValidationReport report = setup.validator().validate(targets, 0, false).report().orElseThrow();
            assertThat(report.clean()).as("validation of %s", report.collections()).isTrue();
            assertThat(report.collections()).hasSize(3);
        }
    }

    /**
     * Waits until each store holds exactly the source's documents (those not in {@code refused}): text, model
     * {@code source:embedding}, hash of text and vector, and every float of the vector with the source's bits.
     */
    private static Map<String, Expected> awaitEveryStoreEqualsTheSource(String collection, int rows,
                                                                       String... refused) throws Exception {
        Map<String, Expected> expected = expected(collection);
        for (String id : refused) {
            expected.remove(id);
        }
        assertThat(expected).hasSize(rows);
        for (SinkName store : SinkName.values()) {
            SinkReader reader = readers.get(store);
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500))
                    .until(() -> reader.count(collection) == rows && differences(reader, collection, expected)
                            .isEmpty());
        }
        return expected;
    }

    private static List<String> differences(SinkReader reader, String collection, Map<String, Expected> expected)
            throws Exception {
        Map<String, StoredDocument> stored = reader.findAll(collection, expected.keySet());
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Expected> e : expected.entrySet()) {
            StoredDocument d = stored.get(e.getKey());
            Expected x = e.getValue();
            if (d == null || !x.title().equals(d.content()) || !"source:embedding".equals(d.model())
                    || !ContentHash.sha256(x.title(), x.vector()).equals(d.contentHash())
                    || !sameBits(x.vector(), d.embedding())) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    private static boolean sameBits(float[] a, float[] b) {
        if (b == null || a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToIntBits(a[i]) != Float.floatToIntBits(b[i])) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Expected> expected(String table) throws SQLException {
        Map<String, Expected> docs = new TreeMap<>();
        try (Connection c = fx.servers.connect(fx.sourceDb); Statement s = c.createStatement()) {
            PGvector.addVectorType(c);
            try (ResultSet rs = s.executeQuery("SELECT id, title, embedding FROM " + table)) {
                while (rs.next()) {
                    Object v = rs.getObject(3);
                    float[] vector;
                    if (v instanceof PGvector pg) {
                        vector = pg.toArray();
                    } else if (v instanceof org.postgresql.util.PGobject json) {
                        vector = floatsOf(json.getValue());
                    } else {
                        Float[] boxed = (Float[]) ((Array) v).getArray();
                        vector = new float[boxed.length];
                        for (int i = 0; i < boxed.length; i++) {
                            vector[i] = boxed[i];
                        }
                    }
                    docs.put(Integer.toString(rs.getInt(1)), new Expected(rs.getString(2), vector));
                }
            }
        }
        return docs;
    }

    /** A jsonb array of numbers, each the shortest decimal of its float, read back as floats. */
    private static float[] floatsOf(String json) {
        String[] parts = json.substring(1, json.length() - 1).split(",");
        float[] v = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            v[i] = Float.parseFloat(parts[i].trim());
        }
        return v;
    }

    private static void insertJson(String table, int from, int to, int dimension, Random random)
            throws SQLException {
        try (Connection c = fx.servers.connect(fx.sourceDb);
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?::jsonb)")) {
            for (int i = from; i <= to; i++) {
                float[] v = randomVector(dimension, random);
                StringBuilder json = new StringBuilder("[");
                for (int k = 0; k < v.length; k++) {
                    json.append(k == 0 ? "" : ",").append(Float.toString(v[k]));
                }
                ps.setInt(1, i);
                ps.setString(2, "Json " + i);
                ps.setString(3, json.append(']').toString());
                ps.executeUpdate();
            }
        }
    }

    private static float[] randomVector(int dimension, Random random) {
        float[] v = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) random.nextGaussian() / 10;
        }
        return v;
    }

    private static Array floats(Connection c, float[] v) throws SQLException {
        Float[] boxed = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            boxed[i] = v[i];
        }
        return c.createArrayOf("float4", boxed);
    }

    private static void insertVectors(String table, int from, int to, int dimension, Random random)
            throws SQLException {
        try (Connection c = fx.servers.connect(fx.sourceDb);
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?)")) {
            PGvector.addVectorType(c);
            c.setAutoCommit(false);
            for (int i = from; i <= to; i++) {
                ps.setInt(1, i);
                ps.setString(2, "Document " + i);
                ps.setObject(3, new PGvector(randomVector(dimension, random)));
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        }
    }

    private static void insertArrays(String table, int from, int to, int dimension, Random random)
            throws SQLException {
        try (Connection c = fx.servers.connect(fx.sourceDb);
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?)")) {
            c.setAutoCommit(false);
            for (int i = from; i <= to; i++) {
                ps.setInt(1, i);
                ps.setString(2, "Row " + i);
                ps.setArray(3, floats(c, randomVector(dimension, random)));
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        }
    }
}
