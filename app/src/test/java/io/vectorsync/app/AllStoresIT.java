package io.vectorsync.app;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.config.AppConfigLoader;
import io.vectorsync.app.pipeline.Pipeline;
import io.vectorsync.app.pipeline.Role;
import io.vectorsync.app.pipeline.Stores;
import io.vectorsync.core.model.ContentHash;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.sink.api.StoredDocument;
import io.vectorsync.sink.runner.SinkMetrics;
import io.vectorsync.store.neo4j.Neo4jReader;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
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
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * One pipeline writing every change to pgvector, Neo4j and Milvus at once: the three end up identical, and a frozen
 * store holds back nobody but itself.
 */
@ExtendWith(LocalServers.class)
class AllStoresIT {
    private static final Logger LOG = LoggerFactory.getLogger(AllStoresIT.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final double VECTOR_TOLERANCE = 1e-6;
    private static final Duration OUTAGE = Duration.ofSeconds(60);
    private static final Duration WARM_UP = Duration.ofSeconds(5);
    private static final Duration SAMPLE = Duration.ofMillis(500);
    private static final Duration WRITE_INTERVAL = Duration.ofMillis(100);
    private static final Duration MAX_LAG = Duration.ofSeconds(2);

    @TempDir
    static Path stateDir;

    private static PipelineFixture fx;
    private static AppConfig config;
    private static Pipeline pipeline;
    /** Table and collection share a name: one for the identity test, one for the outage test. */
    private static String docs;
    private static String load;
    private static final Map<SinkName, SinkReader> readers = new EnumMap<>(SinkName.class);

    /** A document as the source implies it: text, its hash, and the carried columns. */
    record Expected(String content, String hash, String author, Integer authorId) {
    }

    @BeforeAll
    static void start() throws Exception {
        Services servers = LocalServers.get();
        fx = new PipelineFixture(servers);
        docs = "docs_" + fx.suffix;
        load = "load_" + fx.suffix;
        Map<String, String> raw = fx.config(stateDir);
        for (String name : List.of(docs, load)) {
            fx.sql(fx.sourceDb, "CREATE TABLE " + name + " (id int PRIMARY KEY, title text NOT NULL,"
                    + " body text NOT NULL, author text, author_id int)");
            PipelineFixture.mapCollection(raw, name, name);
            raw.put("collections." + name + ".sinks", "pgvector,neo4j,milvus");
            raw.put("collections." + name + ".relations", "author_id->AUTHORED_BY:Author_" + fx.suffix);
        }
        raw.put("sink.neo4j.uri", servers.neo4jUri());
        raw.put("sink.milvus.uri", servers.milvusUri());
        // A frozen Milvus must fail a batch within seconds, not hold the worker for the default 30 s.
        raw.put("sink.milvus.timeout.ms", "5000");
        raw.put("sink.retry.backoff.max.ms", "2000");
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
    void insertsUpdatesAndDeletesArriveIdenticallyInEveryStore() throws Exception {
        insert(docs, 1, 1000);
        awaitEveryStoreEqualsTheSource(docs, EnumSet.allOf(SinkName.class), 1000);

        fx.sql(fx.sourceDb, "UPDATE " + docs + " SET body = body || ' (revised)' WHERE id <= 50");
        fx.sql(fx.sourceDb, "UPDATE " + docs + " SET author = 'editor', author_id = 99 WHERE id BETWEEN 51 AND 90");
        fx.sql(fx.sourceDb, "UPDATE " + docs + " SET author_id = NULL WHERE id BETWEEN 91 AND 100");
        fx.sql(fx.sourceDb, "DELETE FROM " + docs + " WHERE id > 950");
        Map<String, Expected> expected = awaitEveryStoreEqualsTheSource(docs, EnumSet.allOf(SinkName.class), 950);

        assertStoresHoldTheSameVectorsAndLsns(docs, expected.keySet());
        assertRelationshipsMatchTheForeignKeys(docs, expected);
    }

    @Test
    void milvusFrozenForAMinuteCatchesUpWhileTheOtherStoresStayCurrent() throws Exception {
        insert(load, 1, 200);
        awaitEveryStoreEqualsTheSource(load, EnumSet.allOf(SinkName.class), 200);
        SinkMetrics pgvector = pipeline.sinkMetrics(SinkName.PGVECTOR).orElseThrow();
        SinkMetrics neo4j = pipeline.sinkMetrics(SinkName.NEO4J).orElseThrow();
        long milvusWritten = pipeline.sinkMetrics(SinkName.MILVUS).orElseThrow().writtenCount();
        List<Long> pgvectorLag = new ArrayList<>();
        List<Long> neo4jLag = new ArrayList<>();

        LocalServers.services("pause", "--only", "milvus");
        try {
            long start = System.nanoTime();
            long nextSample = start + WARM_UP.toNanos();
            int id = 200;
            while (System.nanoTime() - start < OUTAGE.toNanos()) {
                id++;
                insert(load, id, id);
                if (id % 10 == 0) {
                    fx.sql(fx.sourceDb, "UPDATE " + load + " SET body = body || ' more' WHERE id = " + (id - 150));
                }
                if (id % 25 == 0) {
                    fx.sql(fx.sourceDb, "DELETE FROM " + load + " WHERE id = " + (id - 120));
                }
                if (System.nanoTime() > nextSample) {
                    long now = System.currentTimeMillis();
                    pgvectorLag.add(now - pgvector.lastSourceTsMs());
                    neo4jLag.add(now - neo4j.lastSourceTsMs());
                    nextSample += SAMPLE.toNanos();
                }
                // The writer's pace, not a wait: about ten source transactions a second.
                Thread.sleep(WRITE_INTERVAL.toMillis());
            }
            // Current = caught up with the source while Milvus is still frozen.
            awaitEveryStoreEqualsTheSource(load, EnumSet.of(SinkName.PGVECTOR, SinkName.NEO4J), expected(load).size());
            assertThat(pipeline.sinkMetrics(SinkName.MILVUS).orElseThrow().writtenCount())
                    .as("nothing reached the frozen Milvus").isEqualTo(milvusWritten);
        } finally {
            LocalServers.services("resume", "--only", "milvus");
        }

        LOG.info("while Milvus was frozen: pgvector lag max {} ms, neo4j lag max {} ms, over {} samples",
                pgvectorLag.stream().mapToLong(Long::longValue).max().orElse(-1),
                neo4jLag.stream().mapToLong(Long::longValue).max().orElse(-1), pgvectorLag.size());
        assertThat(pgvectorLag).as("pgvector lag samples (ms) while Milvus was frozen").hasSizeGreaterThan(40)
                .allSatisfy(lag -> assertThat(lag).isLessThan(MAX_LAG.toMillis()));
        assertThat(neo4jLag).as("neo4j lag samples (ms) while Milvus was frozen").hasSizeGreaterThan(40)
                .allSatisfy(lag -> assertThat(lag).isLessThan(MAX_LAG.toMillis()));
        Map<String, Expected> expected = awaitEveryStoreEqualsTheSource(load, EnumSet.allOf(SinkName.class),
                expected(load).size());
        assertThat(pipeline.sinkMetrics(SinkName.MILVUS).orElseThrow().retriedCount()).isPositive();
        assertStoresHoldTheSameVectorsAndLsns(load, expected.keySet());
    }

    /** pgvector is the reference: Neo4j and Milvus hold the same LSN, hash, model and vector for every document. */
    private static void assertStoresHoldTheSameVectorsAndLsns(String collection, Set<String> ids) throws Exception {
        Map<String, StoredDocument> pgvector = readers.get(SinkName.PGVECTOR).findAll(collection, ids);
        for (SinkName other : List.of(SinkName.NEO4J, SinkName.MILVUS)) {
            Map<String, StoredDocument> stored = readers.get(other).findAll(collection, ids);
            for (String id : ids) {
                StoredDocument a = pgvector.get(id);
                StoredDocument b = stored.get(id);
                assertThat(b.contentHash()).as("%s hash of %s", other, id).isEqualTo(a.contentHash());
                assertThat(b.model()).isEqualTo(a.model());
                assertThat(b.sourceLsn()).as("%s lsn of %s", other, id).isEqualTo(a.sourceLsn());
                assertThat(b.embedding()).as("%s vector of %s", other, id).hasSameSizeAs(a.embedding());
                for (int i = 0; i < a.embedding().length; i++) {
                    assertThat((double) b.embedding()[i]).as("%s vector of %s at %d", other, id, i)
                            .isCloseTo(a.embedding()[i], within(VECTOR_TOLERANCE));
                }
            }
        }
    }

    private static void assertRelationshipsMatchTheForeignKeys(String collection, Map<String, Expected> expected)
            throws Exception {
        Neo4jReader neo4j = (Neo4jReader) readers.get(SinkName.NEO4J);
        for (Map.Entry<String, Expected> e : expected.entrySet()) {
            Integer authorId = e.getValue().authorId();
            Map<String, List<String>> edges = neo4j.relationships(collection, e.getKey());
            if (authorId == null) {
                assertThat(edges).as("edges of %s", e.getKey()).isEmpty();
            } else {
                assertThat(edges).as("edges of %s", e.getKey())
                        .isEqualTo(Map.of("AUTHORED_BY", List.of(authorId.toString())));
            }
        }
        assertThat(neo4j.relationships(collection, "951")).isEmpty();
    }

    /** Waits until each store holds exactly the source's documents, with the right text, hash and metadata. */
    private static Map<String, Expected> awaitEveryStoreEqualsTheSource(String collection, Set<SinkName> stores,
                                                                       int rows) throws Exception {
        Map<String, Expected> expected = expected(collection);
        assertThat(expected).hasSize(rows);
        for (SinkName store : stores) {
            SinkReader reader = readers.get(store);
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500))
                    .until(() -> reader.count(collection) == rows && matches(reader, collection, expected));
        }
        return expected;
    }

    private static boolean matches(SinkReader reader, String collection, Map<String, Expected> expected)
            throws Exception {
        Map<String, StoredDocument> stored = reader.findAll(collection, expected.keySet());
        if (stored.size() != expected.size()) {
            return false;
        }
        for (Map.Entry<String, Expected> e : expected.entrySet()) {
            StoredDocument d = stored.get(e.getKey());
            Expected x = e.getValue();
            Object authorId = d.metadata().get("author_id");
            if (!x.content().equals(d.content()) || !x.hash().equals(d.contentHash())
                    || !Objects.equals(x.author(), d.metadata().get("author"))
                    || !Objects.equals(x.authorId(), authorId == null ? null : ((Number) authorId).intValue())
                    || d.embedding() == null) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Expected> expected(String table) throws SQLException {
        Map<String, Expected> docs = new TreeMap<>();
        try (Connection c = fx.servers.connect(fx.sourceDb); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, title, body, author, author_id FROM " + table)) {
            while (rs.next()) {
                String content = rs.getString(2) + ": " + rs.getString(3);
                Integer authorId = rs.getObject(5) == null ? null : rs.getInt(5);
                docs.put(Integer.toString(rs.getInt(1)), new Expected(content, ContentHash.sha256(content), rs.getString(4),
                        authorId));
            }
        }
        return docs;
    }

    private static void insert(String table, int from, int to) throws SQLException {
        try (Connection c = fx.servers.connect(fx.sourceDb);
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
                     + " (id, title, body, author, author_id) VALUES (?, ?, ?, ?, ?)")) {
            c.setAutoCommit(false);
            Random random = new Random(from);
            for (int i = from; i <= to; i++) {
                ps.setInt(1, i);
                ps.setString(2, "Document " + i);
                ps.setString(3, PipelineIT.sentence(random));
                ps.setString(4, "author" + (i % 7));
                ps.setInt(5, i % 7);
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        }
    }
}
