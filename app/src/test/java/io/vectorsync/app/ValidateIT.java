package io.vectorsync.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.service.vector.request.DeleteReq;
import io.milvus.v2.service.vector.request.UpsertReq;
import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.config.AppConfigLoader;
import io.vectorsync.app.pipeline.Pipeline;
import io.vectorsync.app.pipeline.Role;
import io.vectorsync.app.pipeline.Stores;
import io.vectorsync.app.validation.ValidationSetup;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.validation.ValidationResult;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.sink.api.StoredDocument;
import io.vectorsync.store.milvus.MilvusSchema;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import io.vectorsync.validation.CollectionReport;
import io.vectorsync.validation.JsonReport;
import io.vectorsync.validation.Selection;
import io.vectorsync.validation.StoreReport;
import io.vectorsync.validation.ValidationContext.PageHook;
import io.vectorsync.validation.ValidationReport;
import io.vectorsync.validation.Validator;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * {@code vectorsync validate} against a pipeline writing to pgvector, Neo4j and Milvus on the real servers. A table
 * of mixed column types proves the validator renders every row's text, and so its hash, exactly as the pipeline
 * did. Documents corrupted, deleted and planted directly in each store are reported by their exact ids; --repair
 * re-drives them and the next run is clean, with every store equal to what it held before. An interrupted run
 * resumed gives the report an uninterrupted one gives.
 */
@ExtendWith(LocalServers.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ValidateIT {
    private static final Logger LOG = LoggerFactory.getLogger(ValidateIT.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    private static final int ROWS = 200;
    private static final int PAGE = 50;
    private static final double VECTOR_TOLERANCE = 1e-6;
    private static final List<String> TENANTS = List.of("acme|eu", "back\\slash", "plain");
    private static final int PARTS_PER_TENANT = 7;

    @TempDir
    static Path stateDir;

    private static PipelineFixture fx;
    private static AppConfig config;
    private static Path configFile;
    private static Pipeline pipeline;
    /** Table and collection share a name: docs has mixed column types, parts a composite key. */
    private static String docs;
    private static String parts;
    private static final Map<SinkName, SinkReader> readers = new EnumMap<>(SinkName.class);
    /** What each store held for docs once the pipeline had written every row: what a repair must bring back. */
    private static final Map<SinkName, Map<String, StoredDocument>> before = new EnumMap<>(SinkName.class);

    @BeforeAll
    static void start() throws Exception {
        Services servers = LocalServers.get();
        fx = new PipelineFixture(servers);
        docs = "vdocs_" + fx.suffix;
        parts = "vparts_" + fx.suffix;
        fx.sql(fx.sourceDb, "CREATE TABLE " + docs + " (id int PRIMARY KEY, title text NOT NULL, body text NOT NULL,"
                + " price numeric(10,2), qty smallint, views bigint, ratio real, score double precision,"
                + " active boolean, published date, at_time time, created timestamp, updated timestamptz, uid uuid,"
                + " attrs jsonb, tags text[], author text)");
        fx.sql(fx.sourceDb, "INSERT INTO " + docs + " SELECT g, 'Document ' || g, 'Notes number ' || g || ' about '"
                + " || (ARRAY['green tea', 'espresso', 'vector search', 'relational databases', 'stream"
                + " processing'])[1 + g % 5], CASE WHEN g % 10 = 0 THEN NULL ELSE (g * 1.25)::numeric(10,2) END,"
                + " (g % 100)::smallint, g::bigint * 1000000007, (g / 7.0)::real, g / 3.0, g % 2 = 0,"
                + " date '2024-01-01' + g, time '08:00' + g * interval '1 minute 1.5 second',"
                + " timestamp '2024-01-01 00:00:00.123456' + g * interval '1 hour',"
                + " timestamptz '2024-01-01 00:00:00+02' + g * interval '1 day 0.25 second', md5(g::text)::uuid,"
                + " jsonb_build_object('n', g, 'tags', jsonb_build_array('a', g)), ARRAY['x' || g, 'y z'],"
                + " 'author' || (g % 7) FROM generate_series(1, " + ROWS + ") g");
        fx.sql(fx.sourceDb, "CREATE TABLE " + parts + " (tenant text, n int, title text, PRIMARY KEY (tenant, n))");
        for (String tenant : TENANTS) {
            fx.sql(fx.sourceDb, "INSERT INTO " + parts + " SELECT '" + tenant + "', g, 'Part ' || g || ' of the "
                    + tenant.replace("\\", "") + " catalogue' FROM generate_series(1, " + PARTS_PER_TENANT + ") g");
        }

        Map<String, String> raw = fx.config(stateDir);
        PipelineFixture.mapCollection(raw, docs, docs);
        raw.put("collections." + docs + ".template", "{title}: {body} [{price} {qty} {views} {ratio} {score}"
                + " {active} {published} {at_time} {created} {updated} {uid} {attrs} {tags}]");
        raw.put("collections." + docs + ".sinks", "pgvector,neo4j,milvus");
        // Every type as metadata too: a clean run proves the validator maps each to what the stores hold.
        raw.put("collections." + docs + ".metadata", "author,price,qty,views,ratio,score,active,published,at_time,"
                + "created,updated,uid,attrs,tags");
        raw.put("collections." + parts + ".table", "public." + parts);
        raw.put("collections." + parts + ".id", "tenant,n");
        raw.put("collections." + parts + ".template", "{tenant}/{n}: {title}");
        raw.put("collections." + parts + ".sinks", "pgvector,neo4j,milvus");
        raw.put("sink.neo4j.uri", servers.neo4jUri());
        raw.put("sink.milvus.uri", servers.milvusUri());
        raw.put("sink.milvus.timeout.ms", "10000");
        raw.put("validate.page.size", Integer.toString(PAGE));
        raw.put("validate.recheck.delay.ms", "1000");
        raw.put("validate.checkpoint.dir", stateDir.resolve("checkpoints").toString());
        configFile = stateDir.resolve("validate.properties");
        Properties props = new Properties();
        props.putAll(raw);
        try (Writer out = Files.newBufferedWriter(configFile)) {
            props.store(out, "ValidateIT");
        }
        config = AppConfigLoader.load(raw, true);
        for (SinkName store : SinkName.values()) {
            readers.put(store, Stores.reader(config, store));
        }
        pipeline = Pipeline.start(config, EnumSet.allOf(Role.class), new SimpleMeterRegistry());
        for (SinkName store : SinkName.values()) {
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() ->
                    readers.get(store).count(docs) == ROWS
                            && readers.get(store).count(parts) == TENANTS.size() * PARTS_PER_TENANT);
            before.put(store, readers.get(store).findAll(docs, docIds()));
        }
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
    @Order(1)
    void aCleanPipelineMatchesTheSourceInEveryStoreAndTheResultsReachTheValidationTopic() throws Exception {
        Path out = stateDir.resolve("clean.json");

        assertThat(validate("--format", "json", "--output", out.toString())).isZero();

        ValidationReport report = JsonReport.read(Files.readString(out));
        assertThat(report.clean()).isTrue();
        assertThat(report.full()).isTrue();
        assertThat(report.collections()).extracting(CollectionReport::collection).containsExactlyInAnyOrder(docs,
                parts);
        for (CollectionReport c : report.collections()) {
            int rows = c.collection().equals(docs) ? ROWS : TENANTS.size() * PARTS_PER_TENANT;
            assertThat(c.stores()).extracting(StoreReport::store).containsExactly(SinkName.PGVECTOR, SinkName.NEO4J,
                    SinkName.MILVUS);
            assertThat(c.stores()).allSatisfy(s -> {
                assertThat(s.checked()).as("%s in %s", c.collection(), s.store()).isEqualTo(rows);
                assertThat(s.matched()).as("%s in %s", c.collection(), s.store()).isEqualTo(rows);
                assertThat(s.matchRate()).isEqualTo(1.0);
            });
        }
        // The template really rendered the mixed types (numeric, timestamps, uuid, json, array ...) into the text
        // whose hash the validator reproduced for every row.
        String content = before.get(SinkName.PGVECTOR).get("7").content();
        LOG.info("document 7 of the mixed-type table: {}", content);
        assertThat(content).startsWith("Document 7: Notes number 7 about vector search [8.75 7 7000000049 1.0 ")
                .contains(" false 19730 ", " 1704092400123 2024-01-07T22:00:01.750000Z ",
                        " 8f14e45f-ceea-167a-5a36-dedd4bea2543 {\"n\": 7, \"tags\": [\"a\", 7]} [x7, y z]]");
        assertThat(before.get(SinkName.NEO4J).get("7").contentHash())
                .isEqualTo(before.get(SinkName.PGVECTOR).get("7").contentHash());

        Map<String, ValidationResult> published = publishedResults();
        assertThat(published).containsKeys(docs + "/pgvector", docs + "/neo4j", docs + "/milvus",
                parts + "/pgvector", parts + "/neo4j", parts + "/milvus");
        assertThat(published.get(docs + "/milvus").runId()).isEqualTo(report.runId());
        assertThat(published.values()).allSatisfy(r -> {
            assertThat(r.clean()).isTrue();
            assertThat(r.matchRate()).isEqualTo(1.0);
        });

        assertThat(validate("--collection", "nope")).as("unknown collection").isEqualTo(2);
        assertThat(validate("--store", "qdrant")).as("unknown store").isEqualTo(2);
    }

    @Test
    @Order(2)
    void documentsCorruptedDeletedAndPlantedInEachStoreAreReportedByTheirExactIds() throws Exception {
        corruptPgvector("11", "12", "13", "14", "9001");
        corruptNeo4j("21", "22", "23", "24", "9002");
        corruptMilvus("31", "32", "33", "34", "9003");
        // Metadata alone: text, hash and vector untouched.
        editMetadata(SinkName.PGVECTOR, "15");
        editMetadata(SinkName.NEO4J, "25");
        editMetadata(SinkName.MILVUS, "35");
        Path out = stateDir.resolve("corrupt.json");
        Path md = stateDir.resolve("corrupt.md");

        assertThat(validate("--format", "json", "--output", out.toString())).isEqualTo(1);
        assertThat(validate("--collection", docs, "--output", md.toString())).isEqualTo(1);

        ValidationReport report = JsonReport.read(Files.readString(out));
        assertThat(report.clean()).isFalse();
        Map<SinkName, StoreReport> stores = stores(report, docs);
        assertDifferences(stores.get(SinkName.PGVECTOR), "12", "9001", Set.of("11", "15"), "13");
        assertDifferences(stores.get(SinkName.NEO4J), "22", "9002", Set.of("21", "25"), "23");
        assertDifferences(stores.get(SinkName.MILVUS), "32", "9003", Set.of("31", "35"), "33");
        assertThat(stores.values()).allSatisfy(s -> assertThat(s.checked()).isEqualTo(ROWS));
        assertThat(stores(report, parts).values()).allSatisfy(s -> assertThat(s.clean()).isTrue());
        // The raw JSON uses the documented field names.
        JsonNode raw = Json.read(Files.readString(out), JsonNode.class);
        assertThat(raw.at("/collections/0/stores/0/missing_keys").isArray()).isTrue();
        assertThat(Files.readString(md)).contains("| pgvector | " + ROWS + " | " + (ROWS - 4) + " |")
                .contains("  - missing (1): `12`").contains("  - orphaned (1): `9003`");
        assertThat(publishedResults().get(docs + "/neo4j")).satisfies(r -> {
            assertThat(List.of(r.missing(), r.orphaned(), r.stale(), r.drifted())).containsExactly(1L, 1L, 2L, 1L);
            assertThat(r.matched()).isEqualTo(ROWS - 4);
        });
    }

    @Test
    @Order(3)
    void repairReDrivesTheDifferencesAndTheNextRunFindsEveryStoreEqualToTheSource() throws Exception {
        Path repaired = stateDir.resolve("repair.json");
        Path after = stateDir.resolve("after.json");

        assertThat(validate("--repair", "--repair-timeout", "180", "--format", "json", "--output",
                repaired.toString())).as("repair exit code").isZero();
        assertThat(validate("--format", "json", "--output", after.toString())).isZero();

        ValidationReport report = JsonReport.read(Files.readString(after));
        assertThat(report.clean()).isTrue();
        assertThat(report.collections()).allSatisfy(c -> assertThat(c.stores()).allSatisfy(s ->
                assertThat(s.matchRate()).as("%s in %s", c.collection(), s.store()).isEqualTo(1.0)));
        for (SinkName store : SinkName.values()) {
            assertEqualsBefore(store);
        }
    }

    @Test
    @Order(4)
    void anInterruptedRunResumedByTheCommandReportsWhatAnUninterruptedRunReports() throws Exception {
        // Something to find: a deleted and a stale document in pgvector.
        fx.sql(fx.sinkDb, "DELETE FROM " + docs + " WHERE id = '150'");
        fx.sql(fx.sinkDb, "UPDATE " + docs + " SET content_hash = 'tampered' WHERE id = '77'");
        List<Selection.Target> targets = Selection.resolve(config.mappings().collections(), List.of(docs), List.of());

        CollectionReport uninterrupted = api(targets, (c, pages) -> true).orElseThrow().collections().get(0);
        assertThat(uninterrupted.stores().get(0).missingKeys()).containsExactly("150");
        assertThat(uninterrupted.stores().get(0).staleKeys()).containsExactly("77");

        assertThat(api(targets, (c, pages) -> pages < 2)).as("stopped after two pages").isEmpty();
        Path out = stateDir.resolve("resumed.json");
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int code = withStderr(stderr, () -> validate("--collection", docs, "--format", "json", "--output",
                out.toString()));

        assertThat(code).isEqualTo(1);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("resuming " + docs + " from key 100 (100 source"
                + " rows done");
        CollectionReport resumed = JsonReport.read(Files.readString(out)).collections().get(0);
        assertThat(resumed).isEqualTo(uninterrupted);
    }

    // ---- running the validator --------------------------------------------------------------------

    private static int validate(String... args) {
        List<String> all = new ArrayList<>(List.of("validate", "--config", configFile.toString()));
        all.addAll(List.of(args));
        return Main.execute(all.toArray(String[]::new));
    }

    /** A run through the API, so a page hook can stop it as an interruption would. */
    private static Optional<ValidationReport> api(List<Selection.Target> targets, PageHook hook)
            throws Exception {
        try (ValidationSetup setup = ValidationSetup.open(config, targets, hook, System.err, false)) {
            Validator.Result result = setup.validator().validate(targets, 0, false);
            return result.report();
        }
    }

    @FunctionalInterface
    private interface Command {
        int run();
    }

    /** Runs the command with stderr also copied into {@code copy}. */
    private static int withStderr(ByteArrayOutputStream copy, Command command) {
        PrintStream original = System.err;
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                copy.write(b);
                original.write(b);
            }
        }, true, StandardCharsets.UTF_8));
        try {
            return command.run();
        } finally {
            System.setErr(original);
        }
    }

    // ---- corrupting each store directly -------------------------------------------------------------

    /** Stale {@code stale}, deleted {@code missing}, {@code drifted} given {@code donor}'s vector, planted {@code orphan}. */
    private static void corruptPgvector(String stale, String missing, String drifted, String donor, String orphan)
            throws Exception {
        String t = docs;
        fx.sql(fx.sinkDb, "UPDATE " + t + " SET content = 'tampered', content_hash = 'tampered' WHERE id = '" + stale
                + "'");
        fx.sql(fx.sinkDb, "DELETE FROM " + t + " WHERE id = '" + missing + "'");
        fx.sql(fx.sinkDb, "UPDATE " + t + " SET embedding = (SELECT embedding FROM " + t + " WHERE id = '" + donor
                + "') WHERE id = '" + drifted + "'");
        fx.sql(fx.sinkDb, "INSERT INTO " + t + " (id, content, metadata, embedding, model, content_hash, source_lsn,"
                + " source_ts, updated_at) SELECT '" + orphan + "', content, metadata, embedding, model,"
                + " content_hash, source_lsn, source_ts, updated_at FROM " + t + " WHERE id = '" + donor + "'");
    }

    private static void corruptNeo4j(String stale, String missing, String drifted, String donor, String orphan) {
        String label = "`" + docs + "`";
        try (Driver driver = GraphDatabase.driver(fx.servers.neo4jUri(), AuthTokens.none());
             Session session = driver.session()) {
            session.run("MATCH (n:" + label + " {id: $id}) SET n.content_hash = 'tampered'", Map.of("id", stale))
                    .consume();
            session.run("MATCH (n:" + label + " {id: $id}) DETACH DELETE n", Map.of("id", missing)).consume();
            session.run("MATCH (a:" + label + " {id: $a}), (b:" + label + " {id: $b}) SET a.embedding = b.embedding",
                    Map.of("a", drifted, "b", donor)).consume();
            session.run("MATCH (b:" + label + " {id: $b}) CREATE (n:" + label + ") SET n = b {.*, id: $id}",
                    Map.of("b", donor, "id", orphan)).consume();
        }
    }

    private static void corruptMilvus(String stale, String missing, String drifted, String donor, String orphan)
            throws Exception {
        SinkReader reader = readers.get(SinkName.MILVUS);
        Map<String, StoredDocument> docsNow = reader.findAll(docs, List.of(stale, drifted, donor));
        MilvusClientV2 client = new MilvusClientV2(ConnectConfig.builder().uri(fx.servers.milvusUri()).build());
        try {
            StoredDocument s = docsNow.get(stale);
            StoredDocument d = docsNow.get(drifted);
            StoredDocument x = docsNow.get(donor);
            List<JsonObject> rows = List.of(
                    milvusRow(stale, s.content(), s, s.embedding(), "tampered"),
                    milvusRow(drifted, d.content(), d, x.embedding(), d.contentHash()),
                    milvusRow(orphan, x.content(), x, x.embedding(), x.contentHash()));
            client.upsert(UpsertReq.builder().databaseName("default").collectionName(docs).data(rows).build());
            client.delete(DeleteReq.builder().databaseName("default").collectionName(docs)
                    .filter(MilvusSchema.ID + " in [\"" + missing + "\"]").build());
        } finally {
            client.close(5);
        }
    }

    /** Sets metadata key {@code author} of one document to "mallory" directly in the store, nothing else. */
    private static void editMetadata(SinkName store, String id) throws Exception {
        StoredDocument doc = readers.get(store).findAll(docs, List.of(id)).get(id);
        Map<String, Object> metadata = new LinkedHashMap<>(doc.metadata());
        assertThat(metadata.put("author", "mallory")).isNotNull().isNotEqualTo("mallory");
        switch (store) {
            case PGVECTOR -> fx.sql(fx.sinkDb, "UPDATE " + docs + " SET metadata = jsonb_set(metadata, '{author}',"
                    + " '\"mallory\"') WHERE id = '" + id + "'");
            case NEO4J -> {
                try (Driver driver = GraphDatabase.driver(fx.servers.neo4jUri(), AuthTokens.none());
                     Session session = driver.session()) {
                    session.run("MATCH (n:`" + docs + "` {id: $id}) SET n.metadata = $metadata",
                            Map.of("id", id, "metadata", Json.write(metadata))).consume();
                }
            }
            case MILVUS -> {
                MilvusClientV2 client = new MilvusClientV2(ConnectConfig.builder().uri(fx.servers.milvusUri()).build());
                try {
                    JsonObject row = milvusRow(id, doc.content(), doc, doc.embedding(), doc.contentHash());
                    row.add(MilvusSchema.METADATA, JsonParser.parseString(Json.write(metadata)));
                    client.upsert(UpsertReq.builder().databaseName("default").collectionName(docs)
                            .data(List.of(row)).build());
                } finally {
                    client.close(5);
                }
            }
            default -> throw new IllegalArgumentException("no way to edit " + store);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(readers.get(store)
                .findAll(docs, List.of(id)).get(id).metadata()).as("%s metadata of %s", store, id)
                .containsEntry("author", "mallory"));
    }

    private static JsonObject milvusRow(String id, String content, StoredDocument like, float[] vector, String hash) {
        JsonObject row = new JsonObject();
        row.addProperty(MilvusSchema.ID, id);
        JsonArray v = new JsonArray(vector.length);
        for (float f : vector) {
            v.add(f);
        }
        row.add(MilvusSchema.EMBEDDING, v);
        row.addProperty(MilvusSchema.CONTENT, content);
        row.add(MilvusSchema.METADATA, JsonParser.parseString(Json.write(like.metadata())));
        row.addProperty(MilvusSchema.MODEL, like.model());
        row.addProperty(MilvusSchema.CONTENT_HASH, hash);
        row.addProperty(MilvusSchema.SOURCE_LSN, like.sourceLsn());
        row.addProperty(MilvusSchema.SOURCE_TS, System.currentTimeMillis());
        row.addProperty(MilvusSchema.HAS_EMBEDDING, true);
        return row;
    }

    // ---- checks -------------------------------------------------------------------------------------

    private static void assertDifferences(StoreReport store, String missing, String orphaned, Set<String> stale,
                                          String drifted) {
        assertThat(Set.copyOf(store.missingKeys())).as("%s missing", store.store()).isEqualTo(Set.of(missing));
        assertThat(Set.copyOf(store.orphanedKeys())).as("%s orphaned", store.store()).isEqualTo(Set.of(orphaned));
        assertThat(Set.copyOf(store.staleKeys())).as("%s stale", store.store()).isEqualTo(stale);
        assertThat(Set.copyOf(store.driftedKeys())).as("%s drifted", store.store()).isEqualTo(Set.of(drifted));
        assertThat(store.matched()).isEqualTo(ROWS - 4);
    }

    /** The store holds exactly the documents it held before the corruption: ids, content hash and vector. */
    private static void assertEqualsBefore(SinkName store) throws Exception {
        Map<String, StoredDocument> expected = before.get(store);
        SinkReader reader = readers.get(store);
        assertThat(reader.count(docs)).as("%s documents", store).isEqualTo(ROWS);
        assertThat(allIds(reader)).as("%s ids", store).isEqualTo(new TreeSet<>(expected.keySet()));
        Map<String, StoredDocument> now = reader.findAll(docs, expected.keySet());
        for (Map.Entry<String, StoredDocument> e : expected.entrySet()) {
            StoredDocument was = e.getValue();
            StoredDocument is = now.get(e.getKey());
            assertThat(is.contentHash()).as("%s hash of %s", store, e.getKey()).isEqualTo(was.contentHash());
            assertThat(is.content()).as("%s content of %s", store, e.getKey()).isEqualTo(was.content());
            assertThat(is.metadata()).as("%s metadata of %s", store, e.getKey()).isEqualTo(was.metadata());
            assertThat(is.embedding()).as("%s vector of %s", store, e.getKey()).isNotNull()
                    .hasSameSizeAs(was.embedding());
            for (int i = 0; i < was.embedding().length; i++) {
                assertThat((double) is.embedding()[i]).as("%s vector of %s at %d", store, e.getKey(), i)
                        .isCloseTo(was.embedding()[i], within(VECTOR_TOLERANCE));
            }
        }
    }

    private static Set<String> allIds(SinkReader reader) throws Exception {
        Set<String> ids = new TreeSet<>();
        String after = null;
        while (true) {
            List<String> page = reader.ids(docs, after, 100);
            ids.addAll(page);
            if (page.size() < 100) {
                return ids;
            }
            after = page.get(page.size() - 1);
        }
    }

    private static Map<SinkName, StoreReport> stores(ValidationReport report, String collection) {
        CollectionReport c = report.collections().stream().filter(x -> x.collection().equals(collection))
                .findFirst().orElseThrow();
        Map<SinkName, StoreReport> out = new EnumMap<>(SinkName.class);
        c.stores().forEach(s -> out.put(s.store(), s));
        return out;
    }

    private static List<String> docIds() {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= ROWS; i++) {
            ids.add(Integer.toString(i));
        }
        return ids;
    }

    /** The latest result per key on the validation topic. */
    private static Map<String, ValidationResult> publishedResults() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        Map<String, ValidationResult> latest = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = consumer.partitionsFor(config.kafka().topics().validation()).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    latest.put(r.key(), Json.read(r.value(), ValidationResult.class));
                }
                return partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
            });
        }
        return new TreeMap<>(latest);
    }
}
