package io.vectorsync.store.neo4j;

import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.config.Relation;
import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.sink.api.ApplyResult;
import io.vectorsync.sink.api.SearchHit;
import io.vectorsync.sink.api.SinkUnavailableException;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import io.vectorsync.testkit.TcpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Session;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.vectorsync.sink.contract.Documents.DIM;
import static io.vectorsync.sink.contract.Documents.assertStored;
import static io.vectorsync.sink.contract.Documents.delete;
import static io.vectorsync.sink.contract.Documents.upsert;
import static io.vectorsync.sink.contract.Documents.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The Neo4j sink against the real test server: the LSN guard with its tombstone nodes, and the relationships only a
 * graph store draws. The database is shared, so every label of this class carries a unique suffix.
 */
@ExtendWith(LocalServers.class)
class Neo4jSinkIT {
    private static final String SUFFIX = Services.uniqueSuffix();
    /** Relationship targets are shared by every collection that points at them: unique per run too. */
    private static final String AUTHOR_LABEL = "Author_" + SUFFIX;
    private static final Relation AUTHOR = Relation.parse("author_id->AUTHORED_BY:" + AUTHOR_LABEL);
    private static final Relation TOPIC = Relation.parse("topic->ABOUT:Topic_" + SUFFIX);
    private static Neo4jSinkConfig config;
    private static Driver driver;

    private Neo4jSink sink;
    private Neo4jReader reader;

    @BeforeAll
    static void connect() {
        config = configFor(LocalServers.get().neo4jUri());
        driver = GraphDatabase.driver(config.uri(), AuthTokens.none());
    }

    @AfterAll
    static void disconnect() {
        driver.close();
    }

    @BeforeEach
    void open() {
        sink = new Neo4jSink(config, DIM);
        reader = new Neo4jReader(config);
    }

    @AfterEach
    void close() {
        sink.close();
        reader.close();
    }

    @Test
    void sameLsnWithOtherContentIsWrittenAsAReembedding() throws Exception {
        String c = prepared("reembed");
        sink.apply(List.of(upsert(c, "1", "text", Map.of(), vector(1), 10)));
        EnrichedChange reembedded = upsert(c, "1", "text", Map.of(), vector(2), 10);

        assertThat(sink.apply(List.of(reembedded))).isEqualTo(new ApplyResult(1, 0, List.of()));
        assertStored(reader, reembedded);
    }

    @Test
    void deleteOfADocumentNeverSeenLeavesATombstone() throws Exception {
        String c = prepared("unseen");

        assertThat(sink.apply(List.of(delete(c, "7", 40)))).isEqualTo(new ApplyResult(1, 0, List.of()));
        assertThat(sink.apply(List.of(upsert(c, "7", "late insert", Map.of(), vector(7), 39))))
                .isEqualTo(new ApplyResult(0, 1, List.of()));

        assertThat(reader.count(c)).isZero();
        assertThat(tombstones(c)).containsExactly("7@40");
    }

    @Test
    void blankTextIsStoredWithoutAnEmbeddingProperty() throws Exception {
        String c = prepared("blank");
        EnrichedChange withVector = upsert(c, "1", "words", Map.of(), vector(1), 10);
        EnrichedChange blank = upsert(c, "1", "", Map.of("empty", true), null, 11);
        sink.apply(List.of(withVector));

        assertThat(sink.apply(List.of(blank))).isEqualTo(new ApplyResult(1, 0, List.of()));

        assertStored(reader, blank);
        assertThat(query("MATCH (n:`" + c + "` {id: '1'}) RETURN n.embedding IS NULL AS v")).containsExactly("true");
    }

    // ---- relationships ------------------------------------------------------------------------------

    @Test
    void relationshipsFollowTheForeignKeysThroughInsertUpdateAndDelete() throws Exception {
        String c = prepared("rel", AUTHOR, TOPIC);
        Map<String, Object> both = new LinkedHashMap<>();
        both.put("author_id", 7);
        both.put("topic", "graphs");
        Map<String, Object> otherAuthorNoTopic = new LinkedHashMap<>();
        otherAuthorNoTopic.put("author_id", 8.0);
        otherAuthorNoTopic.put("topic", null);

        assertThat(sink.apply(List.of(upsert(c, "1", "text", both, vector(1), 10),
                upsert(c, "2", "text", Map.of("author_id", 7), vector(2), 11))))
                .isEqualTo(new ApplyResult(2, 0, List.of()));
        assertThat(reader.relationships(c, "1")).isEqualTo(Map.of("AUTHORED_BY", List.of("7"),
                "ABOUT", List.of("graphs")));
        assertThat(reader.relationships(c, "2")).isEqualTo(Map.of("AUTHORED_BY", List.of("7")));
        assertThat(query("MATCH (a:" + AUTHOR_LABEL + " {id: '7'})<-[:AUTHORED_BY]-(d:`" + c + "`) RETURN count(d) AS v"))
                .containsExactly("2");

        assertThat(sink.apply(List.of(upsert(c, "1", "text", otherAuthorNoTopic, vector(1), 20))))
                .isEqualTo(new ApplyResult(1, 0, List.of()));
        assertThat(reader.relationships(c, "1")).isEqualTo(Map.of("AUTHORED_BY", List.of("8")));

        assertThat(sink.apply(List.of(upsert(c, "1", "text", Map.of(), vector(1), 30))))
                .isEqualTo(new ApplyResult(1, 0, List.of()));
        assertThat(reader.relationships(c, "1")).isEmpty();

        assertThat(sink.apply(List.of(delete(c, "2", 40)))).isEqualTo(new ApplyResult(1, 0, List.of()));
        assertThat(reader.relationships(c, "2")).isEmpty();
        assertThat(query("MATCH (a:" + AUTHOR_LABEL + ") WHERE a.id IN ['7', '8'] RETURN a.id AS v ORDER BY v"))
                .as("targets stay when their documents go").containsExactly("7", "8");
        assertThat(query("MATCH (:" + AUTHOR_LABEL + " {id: '7'})<-[r]-(:`" + c + "`) RETURN count(r) AS v")).containsExactly("0");
    }

    @Test
    void skippedChangesLeaveRelationshipsAlone() throws Exception {
        String c = prepared("rel_skip", AUTHOR);
        EnrichedChange current = upsert(c, "1", "text", Map.of("author_id", "a"), vector(1), 20);
        sink.apply(List.of(current));

        assertThat(sink.apply(List.of(upsert(c, "1", "old", Map.of("author_id", "b"), vector(1), 10), current)))
                .isEqualTo(new ApplyResult(0, 2, List.of()));

        assertThat(reader.relationships(c, "1")).isEqualTo(Map.of("AUTHORED_BY", List.of("a")));
    }

    @Test
    void aDocumentCanBeTheTargetOfAnotherCollectionsRelationship() throws Exception {
        String people = prepared("Person");
        Relation reportsTo = Relation.parse("boss_id->REPORTS_TO:" + people);
        String staff = prepared("staff", reportsTo);

        sink.apply(List.of(upsert(staff, "s1", "worker", Map.of("boss_id", "p1"), vector(1), 10)));
        assertThat(reader.count(people)).as("a bare target is not a document").isZero();

        EnrichedChange boss = upsert(people, "p1", "the boss", Map.of(), vector(2), 11);
        assertThat(sink.apply(List.of(boss))).isEqualTo(new ApplyResult(1, 0, List.of()));

        assertStored(reader, boss);
        assertThat(reader.count(people)).isEqualTo(1);
        assertThat(query("MATCH (:`" + staff + "` {id: 's1'})-[:REPORTS_TO]->(p:`" + people + "`)"
                + " RETURN p.content AS v")).containsExactly("the boss");
    }

    @Test
    void idsListDocumentsButNeitherBareRelationshipTargetsNorTombstones() throws Exception {
        String people = prepared("Crew");
        String staff = prepared("crew_staff", Relation.parse("boss_id->REPORTS_TO:" + people));
        sink.apply(List.of(upsert(staff, "s1", "worker", Map.of("boss_id", "p0"), vector(1), 10),
                upsert(people, "p1", "one", Map.of(), vector(2), 11),
                upsert(people, "p2", "two", Map.of(), vector(3), 12),
                upsert(people, "p3", "three", Map.of(), vector(4), 13)));
        sink.apply(List.of(delete(people, "p2", 14)));

        assertThat(query("MATCH (n:`" + people + "` {id: 'p0'}) RETURN n.source_lsn IS NULL AS v"))
                .as("p0 is a bare relationship target").containsExactly("true");
        assertThat(tombstones(people)).containsExactly("p2@14");
        assertThat(reader.ids(people, null, 10)).containsExactly("p1", "p3");
        assertThat(reader.ids(people, "p0", 10)).containsExactly("p1", "p3");
        assertThat(reader.ids(people, "p1", 10)).containsExactly("p3");
    }

    // ---- schema -------------------------------------------------------------------------------------

    @Test
    void prepareIsIdempotentAndSafeWhenTwoSinksRace() throws Exception {
        String c = name("raced");
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Neo4jSink other = new Neo4jSink(config, DIM)) {
            List<Future<Void>> done = new ArrayList<>();
            for (Neo4jSink worker : List.of(sink, other)) {
                Callable<Void> prepare = () -> {
                    start.await(30, TimeUnit.SECONDS);
                    worker.prepare(mapping(c, AUTHOR));
                    return null;
                };
                done.add(pool.submit(prepare));
            }
            for (Future<Void> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
            sink.prepare(mapping(c, AUTHOR));
        } finally {
            pool.shutdownNow();
        }

        assertThat(query("SHOW CONSTRAINTS YIELD name WHERE name STARTS WITH '" + c + "' RETURN name AS v"
                + " ORDER BY v")).containsExactly(c + "__Tombstone__id", c + "__id");
        assertThat(query("SHOW VECTOR INDEXES YIELD name, labelsOrTypes WHERE labelsOrTypes = ['" + c + "']"
                + " RETURN name AS v")).containsExactly(c + "__embedding");
        assertThat(sink.apply(List.of(upsert(c, "1", "t", Map.of(), vector(1), 1))))
                .isEqualTo(new ApplyResult(1, 0, List.of()));
    }

    @Test
    void prepareRefusesAnExistingVectorIndexOfAnotherDimension() throws Exception {
        String c = prepared("dims");

        try (Neo4jSink smaller = new Neo4jSink(config, 3)) {
            assertThatThrownBy(() -> smaller.prepare(mapping(c)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("neo4j vector index `" + c + "__embedding` on :`" + c + "`(embedding) holds"
                            + " 384-dimensional vectors but the neo4j sink is configured for 3: drop the index or"
                            + " use a new collection name");
        }
    }

    @Test
    void searchFindsTheNearestDocumentsByCosine() throws Exception {
        String c = prepared("search");
        sink.apply(List.of(upsert(c, "a", "alpha", Map.of("k", "a"), vector(1), 1),
                upsert(c, "b", "beta", Map.of(), vector(2), 2),
                upsert(c, "blank", "", Map.of(), null, 3)));

        List<SearchHit> hits = reader.search(c, vector(1), 3);

        assertThat(hits).extracting(SearchHit::id).containsExactly("a", "b");
        assertThat(hits.get(0).score()).isCloseTo(1.0, within(1e-3));
        assertThat(hits.get(0).metadata()).isEqualTo(Map.of("k", "a"));
    }

    @Test
    void readerOfALabelNeverWrittenFindsNothing() throws Exception {
        assertThat(reader.count(name("never"))).isZero();
        assertThat(reader.find(name("never"), "1")).isEmpty();
        assertThat(reader.relationships(name("never"), "1")).isEmpty();
        assertThat(reader.ids(name("never"), null, 10)).isEmpty();
    }

    // ---- failures -----------------------------------------------------------------------------------

    @Test
    void lostConnectionThrowsSinkUnavailableAndTheNextBatchReconnects() throws Exception {
        String c = prepared("reconnect");
        URI server = URI.create(config.uri());
        try (TcpProxy proxy = TcpProxy.to(server.getHost(), server.getPort());
             Neo4jSink proxied = new Neo4jSink(configFor("bolt://" + proxy.host() + ":" + proxy.port()), DIM)) {
            proxied.prepare(mapping(c));
            EnrichedChange first = upsert(c, "1", "one", Map.of(), vector(1), 10);
            EnrichedChange second = upsert(c, "2", "secret-payload", Map.of(), vector(2), 11);
            assertThat(proxied.apply(List.of(first))).isEqualTo(new ApplyResult(1, 0, List.of()));

            proxy.cut();
            assertThatThrownBy(() -> proxied.apply(List.of(second)))
                    .isInstanceOf(SinkUnavailableException.class)
                    .hasMessageStartingWith("neo4j sink could not apply a batch to collection '" + c + "': ")
                    .hasMessageNotContaining("secret-payload");
            assertThat(reader.find(c, "2")).isEmpty();

            proxy.restore();
            assertThat(proxied.apply(List.of(second))).isEqualTo(new ApplyResult(1, 0, List.of()));
            assertStored(reader, first);
            assertStored(reader, second);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static Neo4jSinkConfig configFor(String uri) {
        ConfigReader reader = new ConfigReader(Map.of("sink.neo4j.uri", uri));
        Neo4jSinkConfig config = Neo4jSinkConfig.from(reader);
        reader.finish();
        return config;
    }

    private static String name(String base) {
        return base + "_" + SUFFIX;
    }

    private static CollectionMapping mapping(String collection, Relation... relations) {
        return io.vectorsync.sink.contract.Documents.mapping(collection, relations);
    }

    private String prepared(String base, Relation... relations) throws SinkUnavailableException {
        String c = name(base);
        sink.prepare(mapping(c, relations));
        return c;
    }

    private static java.time.Instant sourceTs(String collection, String id) {
        try (Session session = driver.session()) {
            return session.run("MATCH (n:`" + collection + "` {id: $id}) RETURN n.source_ts AS ts", Map.of("id", id))
                    .single().get("ts").asZonedDateTime().toInstant();
        }
    }

    /** Tombstones of a collection as {@code id@lsn}, sorted. */
    private static List<String> tombstones(String collection) {
        return query("MATCH (t:`" + collection + "__Tombstone`) RETURN t.id + '@' + t.source_lsn AS v ORDER BY v");
    }

    /** A query's single column {@code v} as text; test-only Cypher built from this class's own names. */
    private static List<String> query(String cypher) {
        try (Session session = driver.session()) {
            return session.run(cypher).list(r -> String.valueOf(r.get("v").asObject()));
        }
    }
}
