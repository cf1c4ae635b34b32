package io.vectorsync.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.config.AppConfigLoader;
import io.vectorsync.app.pipeline.Pipeline;
import io.vectorsync.app.pipeline.Role;
import io.vectorsync.app.pipeline.Stores;
import io.vectorsync.connector.CdcPublisher;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.mode.Backfill;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.mode.RequestOutcome;
import io.vectorsync.core.model.ContentHash;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode;
import io.vectorsync.migration.shadow.ShadowSummary;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.sink.api.StoredDocument;
import io.vectorsync.testkit.BackgroundWriter;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
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
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A migration from pgvector to Milvus on the real servers while a writer keeps inserting, updating and deleting:
 * SOURCE_ONLY → DUAL_WRITE (backfill) → SHADOW → CUTOVER → DUAL_WRITE (rollback) → CUTOVER → TARGET_ONLY, and back
 * with {@code vectorsync rollback}: → CUTOVER (pgvector refilled) → DUAL_WRITE (after the orphan pass and the
 * rollback gate) → SOURCE_ONLY, through the CLI, with deletes in every mode. After each step every store the mode says must be current equals the source, and search answers come
 * from the store the mode names. First, 200 malformed or illegal control messages are refused and change nothing.
 */
@ExtendWith(LocalServers.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MigrationDrillIT {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationDrillIT.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    private static final int INITIAL_ROWS = 2000;

    @TempDir
    static Path stateDir;

    private static PipelineFixture fx;
    private static AppConfig config;
    private static Path configFile;
    private static Pipeline pipeline;
    private static String table;
    /** Inserts, updates and deletes about ten times a second; paused while a step compares stores. */
    private static BackgroundWriter writer;
    private static final AtomicInteger nextId = new AtomicInteger(INITIAL_ROWS + 2);
    private static final Random random = new Random(42);
    private static final Map<SinkName, SinkReader> readers = new EnumMap<>(SinkName.class);
    private static final HttpClient http = HttpClient.newHttpClient();

    record Expected(String content, String hash, String author) {
    }

    @BeforeAll
    static void start() throws Exception {
        Services servers = LocalServers.get();
        fx = new PipelineFixture(servers);
        table = "drill_" + fx.suffix;
        fx.sql(fx.sourceDb, "CREATE TABLE " + table + " (id int PRIMARY KEY, title text NOT NULL, body text NOT NULL,"
                + " author text)");
        insert(1, INITIAL_ROWS);
        Map<String, String> raw = fx.config(stateDir);
        PipelineFixture.mapCollection(raw, table, table);
        raw.put("collections." + table + ".legacy", "pgvector");
        raw.put("collections." + table + ".target", "milvus");
        raw.put("sink.milvus.uri", servers.milvusUri());
        raw.put("sink.milvus.timeout.ms", "5000");
        raw.put("http.port", "0");
        // The gate as in production, over a short window: the drill takes minutes, not hours.
        raw.put("lag.sample.interval.ms", "250");
        raw.put("gate.lag.window.ms", "3000");
        raw.put("gate.shadow.min.comparisons", "2");
        raw.put("gate.shadow.min.agreement", "0.5");
        configFile = stateDir.resolve("drill.properties");
        Properties props = new Properties();
        props.putAll(raw);
        try (Writer out = Files.newBufferedWriter(configFile)) {
            props.store(out, "MigrationDrillIT");
        }
        config = AppConfigLoader.load(raw, true);
        for (SinkName store : EnumSet.of(SinkName.PGVECTOR, SinkName.MILVUS)) {
            readers.put(store, Stores.reader(config, store));
        }
        pipeline = Pipeline.start(config, EnumSet.allOf(Role.class), new SimpleMeterRegistry());
        awaitStatus(s -> s.mode() == StorageMode.SOURCE_ONLY);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (writer != null) {
                writer.close(); // throws the writer's error, if it had one
            }
        } finally {
            if (pipeline != null) {
                pipeline.close();
            }
            readers.values().forEach(SinkReader::close);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(fx::dropSlot);
        }
    }

    @Test
    @Order(1)
    void twoHundredMalformedOrIllegalControlMessagesAreRefusedAndChangeNothing() throws Exception {
        ModeStatus before = status();
        List<String> ids = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 200; i++) {
                String value = badMessage(i);
                RecordMetadata sent = producer.send(new ProducerRecord<>(config.kafka().topics().control(),
                        i % 11 == 0 ? "garbage-key-" + i : table, value)).get(30, TimeUnit.SECONDS);
                // Messages with a request_id are answered under it; the rest under their offset.
                ids.add(value.contains("\"request_id\":\"bad-" + i + "\"") ? "bad-" + i
                        : "control-" + sent.partition() + "-" + sent.offset());
            }
        }

        Map<String, List<String>> reasons = new TreeMap<>();
        for (String id : ids) {
            RequestOutcome outcome = pipeline.modes().orElseThrow().awaitOutcome(id, Duration.ofSeconds(60))
                    .orElseThrow(() -> new AssertionError("no answer to " + id));
            assertThat(outcome.result()).as("answer to %s", id).isEqualTo(RequestOutcome.Result.REFUSED);
            assertThat(outcome.reasons()).as("reasons for %s", id).isNotEmpty().allSatisfy(r -> assertThat(r)
                    .isNotBlank());
            reasons.put(id, outcome.reasons());
        }
        LOG.info("200 refusals, e.g. {}", reasons.entrySet().stream().limit(12).toList());
        assertThat(reasons).hasSize(200);
        ModeStatus after = status();
        assertThat(after.mode()).isEqualTo(before.mode());
        assertThat(after.epoch()).isEqualTo(before.epoch());
        assertThat(pipeline.failure()).isEmpty();
        // The service is still up: a new row flows through to the legacy store.
        insert(INITIAL_ROWS + 1, INITIAL_ROWS + 1);
        await().atMost(TIMEOUT).until(() -> readers.get(SinkName.PGVECTOR).find(table,
                Integer.toString(INITIAL_ROWS + 1)).isPresent());
    }

    @Test
    @Order(2)
    void aLiveMigrationMovesForwardRollsBackAndFinishesWithEveryStoreEqualToTheSource() throws Exception {
        writer = BackgroundWriter.start("drill", Duration.ofMillis(100), MigrationDrillIT::writeOnce);
        step("SOURCE_ONLY", StorageMode.SOURCE_ONLY, () -> {
            assertThat(readers.get(SinkName.MILVUS).count(table)).as("the target gets nothing yet").isZero();
        });

        assertThat(mode("set", "TARGET_ONLY")).as("an illegal move is refused").isEqualTo(1);
        assertThat(status().mode()).isEqualTo(StorageMode.SOURCE_ONLY);

        assertThat(mode("set", "DUAL_WRITE", "--reason", "start the migration")).isZero();
        ModeStatus dual = awaitStatus(s -> s.backfill() != null && s.backfill().state() == Backfill.State.COMPLETED);
        LOG.info("backfill: {}", dual.backfill().describe());
        assertThat(dual.backfill().rowsTotal()).isGreaterThanOrEqualTo(INITIAL_ROWS);
        assertThat(dual.backfill().rowsDone()).isPositive();
        step("DUAL_WRITE", StorageMode.DUAL_WRITE, () -> { });

        assertThat(mode("set", "SHADOW")).isZero();
        step("SHADOW", StorageMode.SHADOW, () -> {
            ShadowSummary summary = await().atMost(TIMEOUT).until(
                    () -> pipeline.shadow().orElseThrow().summary(table), s -> s.count() > 0);
            LOG.info("shadow comparison: {}", summary);
            // Both stores hold the same documents here (the step checked them), so their top hits mostly agree: the
            // two HNSW indexes may differ on a few near-ties only (measured 0.9).
            assertThat(summary.meanOverlap()).as("mean top-k overlap of pgvector and Milvus")
                    .isGreaterThanOrEqualTo(0.6);
            search("Document " + (INITIAL_ROWS / 3));
            await().atMost(TIMEOUT).until(() -> pipeline.shadow().orElseThrow().summary(table).count() >= 2);
            assertThat(Main.execute("validate", "--collection", table, "--store", "milvus", "--config",
                    configFile.toString())).as("validation of the target").isZero();
        });

        assertThat(mode("set", "CUTOVER", "--reason", "gate open")).isZero();
        step("CUTOVER", StorageMode.CUTOVER, () -> { });

        assertThat(mode("set", "DUAL_WRITE", "--reason", "roll back")).isZero();
        step("DUAL_WRITE (rollback)", StorageMode.DUAL_WRITE, () -> { });

        assertThat(mode("set", "CUTOVER")).isZero();
        step("CUTOVER again", StorageMode.CUTOVER, () -> { });

        // The applied mode survives a restart of the whole service.
        long epoch = status().epoch();
        writer.pause();
        pipeline.close();
        pipeline = Pipeline.start(config, EnumSet.allOf(Role.class), new SimpleMeterRegistry());
        ModeStatus restarted = awaitStatus(s -> s.mode() == StorageMode.CUTOVER);
        assertThat(restarted.epoch()).isEqualTo(epoch);
        writer.resume();

        assertThat(mode("set", "TARGET_ONLY", "--reason", "retire pgvector")).isZero();
        step("TARGET_ONLY", StorageMode.TARGET_ONLY, () -> {
            // The retired legacy store gets nothing new.
            int id = 900_000;
            insert(id, id);
            String key = Integer.toString(id);
            await().atMost(TIMEOUT).until(() -> readers.get(SinkName.MILVUS).find(table, key).isPresent());
            assertThat(readers.get(SinkName.PGVECTOR).find(table, key)).isEmpty();
        });

        // And back, the writer still inserting, updating and deleting: pgvector missed every change while retired,
        // deletes included, so reads go back to it only once it is refilled, orphan-passed and validated.
        ModeStatus retired = status();
        assertThat(rollback("--dry-run")).as("rollback --dry-run").isZero();
        assertThat(status()).as("a dry run changes nothing").isEqualTo(retired);
        assertThat(mode("set", "CUTOVER", "--reason", "roll back from TARGET_ONLY")).isZero();
        assertThat(mode("set", "DUAL_WRITE", "--reason", "too early")).as("reads back on pgvector before it is"
                + " refilled and validated").isEqualTo(1);
        assertThat(status().mode()).isEqualTo(StorageMode.CUTOVER);
        assertThat(rollback()).as("rollback: refill, orphan pass, validation, DUAL_WRITE").isZero();
        step("DUAL_WRITE (rolled back from TARGET_ONLY)", StorageMode.DUAL_WRITE, () -> { });
        assertThat(rollback()).as("rollback: DUAL_WRITE -> SOURCE_ONLY").isZero();
        step("SOURCE_ONLY (rolled back)", StorageMode.SOURCE_ONLY, () -> { });
        assertThat(pipeline.failure()).isEmpty();
    }

    /**
     * The rollbacks the drill above does not take — SHADOW to DUAL_WRITE and to SOURCE_ONLY, CUTOVER to SHADOW and to
     * SOURCE_ONLY — with the writer inserting, updating and deleting throughout: the legacy store equals the source
     * after each. A target that got nothing in SOURCE_ONLY still holds the documents of rows deleted meanwhile when it
     * is backfilled again (a backfill only replays rows that exist): the full validation finds them as orphans and
     * its repair deletes them, which the cutover gate's validation condition demands anyway.
     */
    @Test
    @Order(3)
    void everyOtherRollbackLeavesTheLegacyStoreEqualToTheSource() throws Exception {
        assertThat(status().mode()).isEqualTo(StorageMode.SOURCE_ONLY);
        if (writer == null) { // run alone
            writer = BackgroundWriter.start("drill", Duration.ofMillis(100), MigrationDrillIT::writeOnce);
        }
        Set<SinkName> legacyOnly = EnumSet.of(SinkName.PGVECTOR);

        reenterDualWrite("DUAL_WRITE (again)");
        assertThat(mode("set", "SHADOW")).isZero();
        step("SHADOW (again)", StorageMode.SHADOW, () -> { });
        assertThat(rollback()).as("rollback: SHADOW -> DUAL_WRITE").isZero();
        step("DUAL_WRITE (rolled back from SHADOW)", StorageMode.DUAL_WRITE, () -> { });
        assertThat(mode("set", "SHADOW")).isZero();
        step("SHADOW (third time)", StorageMode.SHADOW, () -> { });
        assertThat(mode("set", "SOURCE_ONLY", "--reason", "roll back from SHADOW")).isZero();
        step("SOURCE_ONLY (rolled back from SHADOW)", StorageMode.SOURCE_ONLY, legacyOnly, () -> { });

        reenterDualWrite("DUAL_WRITE (fourth time)");
        assertThat(mode("set", "CUTOVER", "--force", "--reason", "the gate is tested above")).isZero();
        step("CUTOVER (forced)", StorageMode.CUTOVER, () -> { });
        assertThat(mode("set", "SHADOW", "--reason", "roll back from CUTOVER")).isZero();
        step("SHADOW (rolled back from CUTOVER)", StorageMode.SHADOW, () -> { });
        assertThat(mode("set", "CUTOVER", "--force", "--reason", "again")).isZero();
        step("CUTOVER (forced again)", StorageMode.CUTOVER, () -> { });
        assertThat(mode("set", "SOURCE_ONLY", "--reason", "roll back from CUTOVER")).isZero();
        step("SOURCE_ONLY (rolled back from CUTOVER)", StorageMode.SOURCE_ONLY, legacyOnly, () -> { });
        assertThat(pipeline.failure()).isEmpty();
    }

    /** SOURCE_ONLY to DUAL_WRITE: the target's new backfill, then the orphan pass that makes it equal the source. */
    private static void reenterDualWrite(String name) throws Exception {
        String earlier = Optional.ofNullable(status().backfill()).map(Backfill::id).orElse(null);
        assertThat(mode("set", "DUAL_WRITE", "--reason", name)).isZero();
        awaitStatus(s -> s.backfill() != null && !s.backfill().id().equals(earlier)
                && s.backfill().state() == Backfill.State.COMPLETED);
        step(name, StorageMode.DUAL_WRITE, EnumSet.of(SinkName.PGVECTOR), () -> {
            assertThat(Main.execute("validate", "--collection", table, "--store", "milvus", "--full", "--repair",
                    "--config", configFile.toString())).as("orphan pass on the target").isZero();
            Map<String, Expected> expected = expected();
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500))
                    .until(() -> equalsSource(SinkName.MILVUS, expected));
        });
    }

    private static int rollback(String... args) {
        List<String> all = new ArrayList<>(List.of("rollback", "--collection", table, "--config",
                configFile.toString(), "--timeout", "240", "--requested-by", "drill"));
        all.addAll(List.of(args));
        return Main.execute(all.toArray(String[]::new));
    }

    /** Pauses the writer, checks the stores the mode must keep current and where search reads, resumes. */
    private static void step(String name, StorageMode mode, ThrowingRunnable extra) throws Exception {
        step(name, mode, null, extra);
    }

    /** As above, checking only {@code checked} (null: every store the mode keeps current). */
    private static void step(String name, StorageMode mode, Set<SinkName> checked, ThrowingRunnable extra)
            throws Exception {
        ModeStatus status = awaitStatus(s -> s.mode() == mode);
        writer.pause();
        try {
            Map<String, Expected> expected = expected();
            for (SinkName store : checked != null ? checked : currentStores(status)) {
                await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> equalsSource(store, expected));
            }
            JsonNode answer = search("Document " + (INITIAL_ROWS / 2));
            assertThat(answer.path("store").asText()).as("%s: store serving reads", name)
                    .isEqualTo(status.readStore().id());
            assertThat(answer.path("mode").asText()).isEqualTo(mode.name());
            assertThat(answer.path("hits")).isNotEmpty();
            assertThat(answer.path("hits").get(0).path("id").asText()).isIn(expected.keySet());
            assertThat(Main.execute("search", "Document 7", "--collection", table, "-k", "3", "--url",
                    "http://127.0.0.1:" + pipeline.httpPort().orElseThrow())).as("vectorsync search").isZero();
            assertThat(Main.execute("mode", "status", "--config", configFile.toString())).as("mode status").isZero();
            extra.run();
            LOG.info("drill step {}: {} documents; current stores {}; reads from {}", name, expected.size(),
                    currentStores(status), status.readStore());
        } finally {
            writer.resume();
        }
    }

    private static Set<SinkName> currentStores(ModeStatus status) {
        Set<SinkName> stores = EnumSet.noneOf(SinkName.class);
        for (StorageMode.StoreRole role : StorageMode.StoreRole.values()) {
            if (status.mode().writes(role)) {
                stores.add(status.store(role));
            }
        }
        return stores;
    }

    private static boolean equalsSource(SinkName store, Map<String, Expected> expected) throws Exception {
        SinkReader reader = readers.get(store);
        if (reader.count(table) != expected.size()) {
            return false;
        }
        Map<String, StoredDocument> stored = reader.findAll(table, expected.keySet());
        if (stored.size() != expected.size()) {
            return false;
        }
        for (Map.Entry<String, Expected> e : expected.entrySet()) {
            StoredDocument d = stored.get(e.getKey());
            Expected x = e.getValue();
            if (!x.content().equals(d.content()) || !x.hash().equals(d.contentHash())
                    || !Objects.equals(x.author(), d.metadata().get("author")) || d.embedding() == null) {
                return false;
            }
        }
        return true;
    }

    private static int mode(String... args) {
        List<String> all = new ArrayList<>(List.of("mode"));
        all.addAll(List.of(args));
        all.addAll(List.of("--collection", table, "--config", configFile.toString(), "--timeout", "60",
                "--requested-by", "drill"));
        return Main.execute(all.toArray(String[]::new));
    }

    private static ModeStatus status() {
        return pipeline.modes().orElseThrow().status(table).orElseThrow();
    }

    private static ModeStatus awaitStatus(java.util.function.Predicate<ModeStatus> condition) {
        AtomicReference<ModeStatus> seen = new AtomicReference<>();
        await().atMost(TIMEOUT).until(() -> {
            pipeline.modes().orElseThrow().status(table).ifPresent(seen::set);
            return seen.get() != null && condition.test(seen.get());
        });
        return seen.get();
    }

    private static JsonNode search(String query) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + pipeline.httpPort().orElseThrow() + "/v1/collections/" + table
                + "/search?k=5&q=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.read(response.body(), JsonNode.class);
    }

    /** 200 control messages, none of them a request that may be applied. */
    private String badMessage(int i) {
        String c = table;
        String id = "\"request_id\":\"bad-" + i + "\"";
        return switch (i % 10) {
            case 0 -> i % 20 == 0 ? "" : "{\"collection\":";                         // empty, truncated
            case 1 -> "not json at all " + i;
            case 2 -> "[\"" + c + "\",\"DUAL_WRITE\"]";                                  // an array
            case 3 -> "{" + id + ",\"collection\":\"" + c + "\",\"mode\":\"SIDEWAYS_" + i + "\",\"requested_by\":\"t\"}";
            case 4 -> "{" + id + ",\"collection\":\"nope_" + i + "\",\"mode\":\"DUAL_WRITE\",\"requested_by\":\"t\"}";
            case 5 -> "{" + id + ",\"collection\":\"" + c + "\",\"requested_by\":\"t\"}";  // no mode
            case 6 -> "{" + id + ",\"collection\":\"" + c + "\",\"mode\":\"DUAL_WRITE\",\"requested_by\":\"t\","
                    + "\"dry_run\":\"maybe\",\"epoch\":\"x\"}";
            case 7 -> "{" + id + ",\"collection\":\"" + c + "\",\"mode\":\""
                    + List.of("SHADOW", "CUTOVER", "TARGET_ONLY", "SOURCE_ONLY").get(i % 4)
                    + "\",\"requested_by\":\"t\"}";                                       // illegal from SOURCE_ONLY
            case 8 -> "{" + id + ",\"collection\":\"" + c + "\",\"mode\":\"DUAL_WRITE\",\"requested_by\":\"t\","
                    + "\"epoch\":" + (1000 + i) + "}";                                   // an epoch from the future
            default -> "{" + id + ",\"collection\":\"" + c + "\",\"mode\":\"DUAL_WRITE\",\"requested_by\":\"t\","
                    + "\"colection\":\"typo\"}";                                          // unknown field
        };
    }

    private static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(CdcPublisher.producerProperties(config.kafka(), "drill-bad-requests"));
    }

    private static Map<String, Expected> expected() throws SQLException {
        Map<String, Expected> docs = new TreeMap<>();
        try (Connection c = fx.servers.connect(fx.sourceDb); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, title, body, author FROM " + table)) {
            while (rs.next()) {
                String content = rs.getString(2) + ": " + rs.getString(3);
                docs.put(Integer.toString(rs.getInt(1)), new Expected(content, ContentHash.sha256(content),
                        rs.getString(4)));
            }
        }
        return docs;
    }

    private static void insert(int from, int to) throws SQLException {
        fx.insertDocuments(table, from, to);
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** One write of the live writer: an insert, an update (text and metadata) or a delete of an existing row. */
    private static void writeOnce() throws SQLException {
        int op = random.nextInt(10);
        int existing = 1 + random.nextInt(nextId.get() - 1);
        if (op < 5) {
            int id = nextId.getAndIncrement();
            insert(id, id);
        } else if (op < 8) {
            fx.sql(fx.sourceDb, "UPDATE " + table + " SET body = body || ' edited', author = 'editor"
                    + (op % 3) + "' WHERE id = " + existing);
        } else {
            fx.sql(fx.sourceDb, "DELETE FROM " + table + " WHERE id = " + existing);
        }
    }
}
