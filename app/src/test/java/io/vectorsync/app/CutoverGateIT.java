package io.vectorsync.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.config.AppConfigLoader;
import io.vectorsync.app.pipeline.Pipeline;
import io.vectorsync.app.pipeline.Role;
import io.vectorsync.app.pipeline.Stores;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.mode.Backfill;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.mode.RequestOutcome;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode;
import io.vectorsync.migration.lag.LagSnapshot;
import io.vectorsync.migration.lag.LagState;
import io.vectorsync.migration.lag.LagView;
import io.vectorsync.migration.lag.LagWindowStats;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.sink.api.StoredDocument;
import io.vectorsync.sink.runner.SinkWorker;
import io.vectorsync.testkit.BackgroundWriter;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import io.vectorsync.testkit.TcpProxy;
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

import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cutover gate on real servers, pgvector (legacy) to Neo4j (target), the Neo4j sink reaching its store through
 * a proxy the test can cut. A source idle for two minutes reads as idle and keeps the gate open; a held target
 * sink closes it, naming the lag and its value; rows the target missed while its store was unreachable (best-effort
 * writes, dropped after the retries) are found by the validator by their keys and keep the gate closed until
 * repaired; once a validation passes, CUTOVER is accepted.
 */
@ExtendWith(LocalServers.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CutoverGateIT {
    private static final Logger LOG = LoggerFactory.getLogger(CutoverGateIT.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final Duration IDLE = Duration.ofMinutes(2);
    private static final long MAX_P99_MS = 3_000;
    private static final long WINDOW_MS = 10_000;
    private static final int ROWS = 100;
    private static final Pattern LAG = Pattern.compile(
            "target end-to-end lag p99 \\(neo4j\\): p99 ([0-9.]+) (ms|s|min) over .* \\(limit p99 3\\.0 s over 10\\.0 s\\)");

    @TempDir
    static Path stateDir;

    private static PipelineFixture fx;
    private static TcpProxy neo4jProxy;
    private static Path configFile;
    private static AppConfig config;
    private static Pipeline pipeline;
    private static String table;
    private static final AtomicInteger nextId = new AtomicInteger(ROWS + 1);
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Services servers = LocalServers.get();
        fx = new PipelineFixture(servers);
        table = "gate_" + fx.suffix;
        fx.createDocumentTable(table);
        insert(1, ROWS);
        URI neo4j = URI.create(servers.neo4jUri());
        neo4jProxy = TcpProxy.to(neo4j.getHost(), neo4j.getPort());
        Map<String, String> raw = fx.config(stateDir);
        PipelineFixture.mapCollection(raw, table, table);
        raw.put("collections." + table + ".legacy", "pgvector");
        raw.put("collections." + table + ".target", "neo4j");
        raw.put("sink.neo4j.uri", "bolt://" + neo4jProxy.host() + ":" + neo4jProxy.port());
        raw.put("sink.neo4j.timeout.ms", "3000");
        // A short retry budget, so best-effort changes to the cut-off target are dropped within the stall.
        raw.put("sink.retry.max.attempts", "2");
        raw.put("sink.retry.backoff.max.ms", "500");
        raw.put("lag.sample.interval.ms", "250");
        raw.put("gate.max.lag.p99.ms", Long.toString(MAX_P99_MS));
        raw.put("gate.lag.window.ms", Long.toString(WINDOW_MS));
        raw.put("gate.shadow.min.comparisons", "5");
        raw.put("gate.shadow.min.agreement", "0.5");
        configFile = stateDir.resolve("gate.properties");
        Properties props = new Properties();
        props.putAll(raw);
        try (Writer out = Files.newBufferedWriter(configFile)) {
            props.store(out, "CutoverGateIT");
        }
        config = AppConfigLoader.load(raw, true);
        pipeline = Pipeline.start(config, EnumSet.allOf(Role.class), new SimpleMeterRegistry());
        awaitStatus(s -> s.mode() == StorageMode.SOURCE_ONLY);

        assertThat(mode("set", "DUAL_WRITE")).isZero();
        awaitStatus(s -> s.backfill() != null && s.backfill().state() == Backfill.State.COMPLETED);
        assertThat(mode("set", "SHADOW")).isZero();
        awaitStatus(s -> s.mode() == StorageMode.SHADOW);
        awaitTargetEqualsSource();
        for (int i = 0; i < 8; i++) {
            search("Document " + (i * 10 + 3));
        }
        await().atMost(TIMEOUT).until(() -> pipeline.shadow().orElseThrow().summary(table).count() >= 5);
        assertThat(validate()).as("validation of the target").isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
        if (neo4jProxy != null) {
            neo4jProxy.close();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(fx::dropSlot);
    }

    @Test
    @Order(1)
    void aSourceIdleForTwoMinutesReadsIdleAndKeepsTheGateOpen() {
        LagView lag = pipeline.lag().orElseThrow();
        await().atMost(TIMEOUT).until(() -> idle(lag, SinkName.NEO4J) && idle(lag, SinkName.PGVECTOR));
        List<LagSnapshot> seen = new ArrayList<>();

        await().during(IDLE).atMost(IDLE.plusSeconds(30)).pollInterval(Duration.ofSeconds(5)).untilAsserted(() -> {
            for (SinkName sink : List.of(SinkName.PGVECTOR, SinkName.NEO4J)) {
                LagSnapshot now = lag.latest(sink).orElseThrow();
                seen.add(now);
                assertThat(now.state()).as("%s", now).isEqualTo(LagState.IDLE);
                assertThat(now.e2eLagMs()).as("%s", now).isZero();
                assertThat(now.consumerLagRecords()).as("%s", now).isZero();
            }
        });

        LOG.info("idle for {}: {} samples, last {}", IDLE, seen.size(), seen.get(seen.size() - 1));
        assertThat(seen.size()).isGreaterThanOrEqualTo(2 * 20);
        LagWindowStats window = lag.window(SinkName.NEO4J, Duration.ofMillis(WINDOW_MS));
        assertThat(window.maxMs()).isZero();
        // Exit 0 of a dry run is WOULD_APPLY: the gate is open, and nothing changes.
        assertThat(mode("set", "CUTOVER", "--dry-run")).as("dry run after two idle minutes").isZero();
        assertThat(status().mode()).isEqualTo(StorageMode.SHADOW);
        assertThat(Main.execute("status", "--url", "http://127.0.0.1:" + pipeline.httpPort().orElseThrow()))
                .as("vectorsync status").isZero();
    }

    @Test
    @Order(2)
    void aHeldTargetSinkClosesTheGateNamingTheLagAndItsValue() throws Exception {
        long epoch = status().epoch();
        SinkWorker target = pipeline.sinkWorker(SinkName.NEO4J).orElseThrow();
        target.hold();
        try (BackgroundWriter ignored = rowWriter()) {
            LagView lag = pipeline.lag().orElseThrow();
            await().atMost(TIMEOUT).until(() -> lag.window(SinkName.NEO4J, Duration.ofMillis(WINDOW_MS)).p99Ms()
                    > 2 * MAX_P99_MS);

            assertThat(mode("set", "CUTOVER", "--reason", "too early")).as("cutover while the target is behind")
                    .isEqualTo(1);

            ModeStatus refused = status();
            assertThat(refused.mode()).isEqualTo(StorageMode.SHADOW);
            assertThat(refused.epoch()).isEqualTo(epoch);
            assertThat(refused.lastRequest().result()).isEqualTo(RequestOutcome.Result.REFUSED);
            LOG.info("refused: {}", refused.lastRequest().reasons());
            String reason = refused.lastRequest().reasons().stream().filter(r -> r.contains("end-to-end lag"))
                    .findFirst().orElseThrow(() -> new AssertionError("no lag reason in "
                            + refused.lastRequest().reasons()));
            Matcher m = LAG.matcher(reason);
            assertThat(m.find()).as(reason).isTrue();
            double p99Seconds = Double.parseDouble(m.group(1)) * switch (m.group(2)) {
                case "ms" -> 0.001;
                case "min" -> 60.0;
                default -> 1.0;
            };
            assertThat(p99Seconds).as(reason).isGreaterThan(MAX_P99_MS / 1000.0);
            assertThat(pipeline.sinkMetrics(SinkName.PGVECTOR).orElseThrow().lastSourceTsMs())
                    .as("the legacy sink is not held up").isGreaterThan(System.currentTimeMillis() - 2 * MAX_P99_MS);
        } finally {
            target.release();
        }
        // Held, not down: nothing was dropped, and the target catches up with every row.
        awaitTargetEqualsSource();
        assertThat(pipeline.sinkMetrics(SinkName.NEO4J).orElseThrow().droppedCount()).isZero();
    }

    @Test
    @Order(3)
    void rowsTheTargetMissedKeepTheGateClosedUntilRepairedThenCutoverIsAccepted() throws Exception {
        // In SHADOW the target is written best effort: while its store is unreachable, what the sink cannot apply
        // within its retries is dead-lettered, so the target misses rows and only a validation can tell.
        neo4jProxy.cut();
        try (BackgroundWriter ignored = rowWriter()) {
            await().atMost(TIMEOUT).until(() -> pipeline.sinkMetrics(SinkName.NEO4J).orElseThrow().droppedCount()
                    >= 5);
        } finally {
            neo4jProxy.restore();
        }
        // Once the changes still in flight are applied (or dropped too), Neo4j lacks exactly the dropped rows.
        Set<String> missing = await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(CutoverGateIT::missingFromTarget, m -> m.size()
                        == pipeline.sinkMetrics(SinkName.NEO4J).orElseThrow().droppedCount());
        assertThat(missing).isNotEmpty();

        Path report = stateDir.resolve("after-outage.json");
        assertThat(validate("--output", report.toString())).as("validation finds the dropped rows").isEqualTo(1);
        JsonNode store = Json.read(Files.readString(report), JsonNode.class).at("/collections/0/stores/0");
        assertThat(store.path("store").asText()).isEqualTo("neo4j");
        assertThat(keys(store.path("missing_keys"))).isEqualTo(missing);
        assertThat(mode("set", "CUTOVER", "--reason", "not validated")).isEqualTo(1);
        assertThat(status().lastRequest().reasons()).anySatisfy(r -> assertThat(r)
                .startsWith("cutover gate closed:").contains("target validation (neo4j): match "));

        assertThat(validate("--repair", "--output", stateDir.resolve("repair.json").toString())).as("repair")
                .isZero();
        awaitTargetEqualsSource();
        assertThat(validate("--output", stateDir.resolve("clean.json").toString())).as("validation after repair")
                .isZero();
        // The lag window must be sustained below the threshold again before the gate opens.
        await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(2))
                .until(() -> mode("set", "CUTOVER", "--dry-run") == 0);

        assertThat(mode("set", "CUTOVER", "--reason", "caught up and validated")).isZero();

        ModeStatus cut = awaitStatus(s -> s.mode() == StorageMode.CUTOVER);
        assertThat(cut.forced()).isFalse();
        assertThat(cut.readStore()).isEqualTo(SinkName.NEO4J);
        awaitTargetEqualsSource();
        assertThat(pipeline.failure()).isEmpty();
    }

    /** Source ids Neo4j does not hold, once the source holds still. */
    private static Set<String> missingFromTarget() throws Exception {
        try (SinkReader neo4j = Stores.reader(config, SinkName.NEO4J)) {
            Set<String> expected = fx.expected(table).keySet();
            Set<String> missing = new TreeSet<>(expected);
            missing.removeAll(neo4j.findAll(table, expected).keySet());
            return missing;
        }
    }

    private static Set<String> keys(JsonNode array) {
        Set<String> keys = new TreeSet<>();
        array.forEach(k -> keys.add(k.asText()));
        return keys;
    }

    private static boolean idle(LagView lag, SinkName sink) {
        return lag.latest(sink).map(s -> s.state() == LagState.IDLE).orElse(false);
    }

    /** Neo4j holds exactly the source's rows: same ids, contents, hashes, vectors present. */
    private static void awaitTargetEqualsSource() throws Exception {
        try (SinkReader neo4j = Stores.reader(config, SinkName.NEO4J)) {
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                Map<String, PipelineFixture.Doc> expected = fx.expected(table);
                assertThat(neo4j.count(table)).isEqualTo(expected.size());
                Map<String, StoredDocument> stored = neo4j.findAll(table, expected.keySet());
                assertThat(stored.keySet()).isEqualTo(expected.keySet());
                expected.forEach((id, doc) -> {
                    assertThat(stored.get(id).content()).isEqualTo(doc.content());
                    assertThat(stored.get(id).metadata().get("author")).isEqualTo(doc.author());
                    assertThat(stored.get(id).embedding()).isNotNull();
                });
            });
        }
    }

    private static int mode(String... args) {
        List<String> all = new ArrayList<>(List.of("mode"));
        all.addAll(List.of(args));
        all.addAll(List.of("--collection", table, "--config", configFile.toString(), "--timeout", "60",
                "--requested-by", "gate-it"));
        return Main.execute(all.toArray(String[]::new));
    }

    private static int validate(String... extra) {
        List<String> args = new ArrayList<>(List.of("validate", "--collection", table, "--store", "neo4j",
                "--config", configFile.toString(), "--format", "json"));
        args.addAll(List.of(extra));
        return Main.execute(args.toArray(String[]::new));
    }

    private static ModeStatus status() {
        return pipeline.modes().orElseThrow().status(table).orElseThrow();
    }

    private static ModeStatus awaitStatus(Predicate<ModeStatus> condition) {
        return await().atMost(TIMEOUT).until(() -> pipeline.modes().orElseThrow().status(table).orElse(null),
                s -> s != null && condition.test(s));
    }

    private static void search(String query) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + pipeline.httpPort().orElseThrow() + "/v1/collections/" + table
                + "/search?k=5&q=" + java.net.URLEncoder.encode(query, java.nio.charset.StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static void insert(int from, int to) throws SQLException {
        try (Connection c = fx.servers.connect(fx.sourceDb);
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
                     + " (id, title, body, author) VALUES (?, ?, ?, ?)")) {
            for (int i = from; i <= to; i++) {
                ps.setInt(1, i);
                ps.setString(2, "Document " + i);
                ps.setString(3, "Body of document " + i + " about topic " + (i % 13));
                ps.setString(4, "author" + (i % 7));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Inserts a row about every 100 ms until closed, so a stalled sink falls further behind. */
    private static BackgroundWriter rowWriter() {
        return BackgroundWriter.start("gate-rows", Duration.ofMillis(100), () -> {
            int id = nextId.getAndIncrement();
            insert(id, id);
        });
    }
}
