package io.vectorsync.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.config.AppConfigLoader;
import io.vectorsync.app.pipeline.Pipeline;
import io.vectorsync.app.pipeline.Role;
import io.vectorsync.connector.CdcPublisher;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.mode.Backfill;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.model.StorageMode;
import io.vectorsync.testkit.BackgroundWriter;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
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

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in a real browser: a pipeline on the real servers writing one collection to pgvector and migrating
 * another from pgvector to Neo4j (DUAL_WRITE, backfilled), rows inserted continuously, then Debian's headless
 * Chromium loads {@code /}. Every figure its DOM shows is compared with {@code /api/overview} fetched just before
 * and just after; a figure that did not change between the two must be shown exactly, one that moved must lie
 * within them (lag and throughput with a tolerance, since the page fetched its own overview in between). The
 * screenshot is saved as {@code app/target/failsafe-reports/dashboard.png}. Also: every metric the Grafana
 * dashboard queries is in {@code /metrics}.
 */
@ExtendWith(LocalServers.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {
    /** This process's {@code instance.id}: every meter carries it as its {@code instance} tag. */
    private static final String INSTANCE = "dashboard-it";
    private static final Logger LOG = LoggerFactory.getLogger(DashboardBrowserIT.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final int INITIAL_ROWS = 300;
    private static final int DEAD_LETTERS = 3;
    private static final long VIRTUAL_TIME_MS = 5_000;
    private static final long LAG_TOLERANCE_MS = 3_000;
    private static final double RATE_TOLERANCE = 50;
    private static final int HISTORY_POINTS = 45;
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 1000;
    private static final Path SCREENSHOT = Path.of("target", "failsafe-reports", "dashboard.png");

    @TempDir
    static Path stateDir;

    private static PipelineFixture fx;
    private static AppConfig config;
    private static Path configFile;
    private static Pipeline pipeline;
    private static String migrating;
    private static String plain;
    private static final int MAX_WRITES = 1_000;
    private static final AtomicInteger nextRow = new AtomicInteger(INITIAL_ROWS + 1);
    private static BackgroundWriter writer;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Chromium.requireInstalled();
        Services servers = LocalServers.get();
        fx = new PipelineFixture(servers);
        migrating = "dash_" + fx.suffix;
        plain = "dashnotes_" + fx.suffix;
        fx.createDocumentTable(migrating);
        fx.createDocumentTable(plain);
        fx.insertDocuments(migrating, 1, INITIAL_ROWS);
        Map<String, String> raw = fx.config(stateDir.resolve("streams"));
        PipelineFixture.mapCollection(raw, migrating, migrating);
        raw.put("collections." + migrating + ".legacy", "pgvector");
        raw.put("collections." + migrating + ".target", "neo4j");
        PipelineFixture.mapCollection(raw, plain, plain);
        raw.put("sink.neo4j.uri", servers.neo4jUri());
        raw.put("instance.id", INSTANCE);
        configFile = stateDir.resolve("dashboard.properties");
        Properties props = new Properties();
        props.putAll(raw);
        try (Writer out = Files.newBufferedWriter(configFile)) {
            props.store(out, "DashboardBrowserIT");
        }
        config = AppConfigLoader.load(raw, true);
        pipeline = Pipeline.start(config, EnumSet.allOf(Role.class),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        awaitStatus(s -> s.mode() == StorageMode.SOURCE_ONLY);
        assertThat(Main.execute("mode", "set", "DUAL_WRITE", "--collection", migrating, "--config",
                configFile.toString(), "--timeout", "60", "--requested-by", "dashboard-it")).isZero();
        awaitStatus(s -> s.backfill() != null && s.backfill().state() == Backfill.State.COMPLETED);
        deadLetters();
        writer = BackgroundWriter.start("dashboard-rows", Duration.ofMillis(250), MAX_WRITES,
                DashboardBrowserIT::writeRows);
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
            if (fx != null) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(fx::dropSlot);
            }
        }
    }

    @Test
    @Order(1)
    void everyMetricTheGrafanaDashboardQueriesIsExported() throws Exception {
        Set<String> wanted = DeployFilesTest.grafanaMetricNames();
        assertThat(wanted).contains("vectorsync_mode", "vectorsync_gate_open", "vectorsync_dlq_topic_records");
        AtomicReference<Set<String>> missing = new AtomicReference<>();
        // Gate condition gauges appear once a scrape has asked the gate, so the first scrape may lack them.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            HttpResponse<String> r = get("/metrics");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            Set<String> exported = new TreeSet<>();
            r.body().lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                    .forEach(l -> exported.add(l.split("[{ ]", 2)[0]));
            Set<String> absent = new TreeSet<>(wanted);
            absent.removeAll(exported);
            missing.set(absent);
            assertThat(absent).as("metrics the Grafana dashboard queries but /metrics does not export").isEmpty();
        });
        String scrape = get("/metrics").body();
        // Every meter carries this process's instance tag (tags in name order).
        assertThat(scrape).contains("vectorsync_mode{collection=\"" + migrating + "\",instance=\"" + INSTANCE
                        + "\",mode=\"DUAL_WRITE\"} 1.0")
                .contains("vectorsync_dlq_topic_records{instance=\"" + INSTANCE + "\"} " + DEAD_LETTERS + ".0")
                .contains("vectorsync_capture_records_total{collection=\"" + migrating + "\",instance=\"" + INSTANCE
                        + "\"");
    }

    @Test
    @Order(2)
    void theDashboardShowsWhatTheApiSaysWithTheLagChartDrawnAndSavesAScreenshot() throws Exception {
        // Enough lag history for a chart: at least 45 samples of known lag for each sink, written under load.
        await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> {
            JsonNode o = overview();
            for (JsonNode sink : o.path("sinks")) {
                if (sink.path("history").size() < HISTORY_POINTS) {
                    return false;
                }
            }
            return o.path("sinks").size() == 2;
        });
        assertThat(writtenRows()).as("rows written while the lag history filled").isPositive();
        String url = "http://127.0.0.1:" + pipeline.httpPort().orElseThrow() + "/";
        Chromium chromium = new Chromium(stateDir);

        JsonNode before = overview();
        String dom = chromium.dumpDom(url, VIRTUAL_TIME_MS, WIDTH, HEIGHT);
        JsonNode after = overview();
        Files.writeString(Path.of("target", "failsafe-reports", "dashboard-dom.html"), dom);
        compare(new DomFigures(dom), before, after);

        chromium.screenshot(url, VIRTUAL_TIME_MS, SCREENSHOT, WIDTH, HEIGHT);
        assertThat(SCREENSHOT).isRegularFile();
        assertThat(Files.size(SCREENSHOT)).as("screenshot bytes").isGreaterThan(20_000);
        BufferedImage image = ImageIO.read(SCREENSHOT.toFile());
        assertThat(image.getWidth()).isEqualTo(WIDTH);
        assertThat(image.getHeight()).isEqualTo(HEIGHT);
        // Inside the plot area (the legend is above it), each sink's line is drawn in its own colour.
        int[] plot = Arrays.stream(new DomFigures(dom).get("lag-chart").attr("data-plot").split(","))
                .mapToInt(Integer::parseInt).toArray();
        assertThat(pixelsNear(image, plot, 0x2f6fdf)).as("pgvector's blue line pixels in %s", Arrays.toString(plot))
                .isGreaterThan(100);
        assertThat(pixelsNear(image, plot, 0x1a9e5a)).as("neo4j's green line pixels in %s", Arrays.toString(plot))
                .isGreaterThan(100);
        LOG.info("dashboard screenshot: {} ({} bytes); {} rows written meanwhile", SCREENSHOT.toAbsolutePath(),
                Files.size(SCREENSHOT), writtenRows());
        assertThat(pipeline.failure()).isEmpty();
    }

    private static void compare(DomFigures dom, JsonNode before, JsonNode after) {
        assertThat(dom.get("fetch-status").text()).isEqualTo("live");
        assertThat(dom.get("pipeline-name").text()).isEqualTo(after.path("pipeline").asText());
        between("generated at", Long.parseLong(dom.get("generated-at").value()), before.path("generated_at_ms")
                .asLong(), after.path("generated_at_ms").asLong(), 0);
        same("DLQ records", dom.get("dlq-records").value(), before.path("dlq_records").asText(),
                after.path("dlq_records").asText());
        assertThat(after.path("dlq_records").asLong()).isEqualTo(DEAD_LETTERS);

        assertThat(after.path("sinks")).hasSize(2);
        for (int i = 0; i < after.path("sinks").size(); i++) {
            JsonNode b = before.path("sinks").get(i);
            JsonNode a = after.path("sinks").get(i);
            String sink = a.path("sink").asText();
            String id = "sink-" + sink;
            DomFigures.Element line = dom.get("lag-line-" + sink);
            int points = Integer.parseInt(line.attr("data-points"));
            assertThat(points).as("%s chart points", sink).isPositive();
            between(sink + " chart points", points, b.path("history").size(), a.path("history").size(), 2);
            assertThat(line.attr("points").trim().split("\\s+")).as("%s polyline", sink).hasSize(points);
            dom.get("legend-" + sink);
            between(sink + " e2e lag", Long.parseLong(dom.get(id + "-e2e-lag-ms").value()),
                    b.path("latest").path("e2e_lag_ms").asLong(), a.path("latest").path("e2e_lag_ms").asLong(),
                    LAG_TOLERANCE_MS);
            between(sink + " p99", Long.parseLong(dom.get(id + "-p99-ms").value()),
                    b.path("window").path("p99_ms").asLong(), a.path("window").path("p99_ms").asLong(),
                    LAG_TOLERANCE_MS);
            between(sink + " applied/s", Double.parseDouble(dom.get(id + "-applied-per-second").value()),
                    b.path("applied_per_second").asDouble(), a.path("applied_per_second").asDouble(),
                    RATE_TOLERANCE);
            same(sink + " state", dom.get(id + "-state").value(), b.path("latest").path("state").asText(),
                    a.path("latest").path("state").asText(), "ACTIVE", "IDLE");
            assertThat(dom.get(id + "-e2e-lag-ms").text()).as("%s lag as shown", sink).matches("\\d+(\\.\\d)? m?s");
        }

        for (int i = 0; i < after.path("collections").size(); i++) {
            JsonNode b = before.path("collections").get(i);
            JsonNode a = after.path("collections").get(i);
            String id = "collection-" + a.path("collection").asText();
            if (!a.path("migrating").asBoolean()) {
                assertThat(dom.get(id + "-stores").value()).isEqualTo("pgvector");
                continue;
            }
            same("mode", dom.get(id + "-mode").value(), b.path("mode").asText(), a.path("mode").asText());
            assertThat(dom.get(id + "-mode").text()).isEqualTo("DUAL_WRITE");
            same("epoch", dom.get(id + "-epoch").value(), b.path("epoch").asText(), a.path("epoch").asText());
            assertThat(dom.get(id + "-stores").value()).isEqualTo("pgvector>neo4j");
            JsonNode backfill = a.path("backfill");
            assertThat(dom.get(id + "-backfill").value()).isEqualTo(backfill.path("rows_done").asLong() + "/"
                    + backfill.path("rows_total").asLong() + "/COMPLETED");
            assertThat(backfill.path("rows_total").asLong()).isGreaterThanOrEqualTo(INITIAL_ROWS);
            assertThat(dom.get(id + "-backfill-bar").value()).isEqualTo("100");
            same("gate verdict", dom.get(id + "-gate").value(), verdict(b), verdict(a));
            List<String> shown = new ArrayList<>();
            dom.findAll(id + "-gate-condition").forEach(c -> shown.add(c.attr("data-name") + "="
                    + c.attr("data-passed")));
            same("gate conditions", String.join(",", shown), conditions(b), conditions(a));
            assertThat(shown).isNotEmpty();
            dom.findAll(id + "-gate-condition").forEach(c -> assertThat(c.text()).contains(c.attr("data-name"))
                    .contains("(limit "));
        }
    }

    private static String verdict(JsonNode collection) {
        return collection.path("gate").path("open").asBoolean() ? "open" : "closed";
    }

    private static String conditions(JsonNode collection) {
        List<String> out = new ArrayList<>();
        collection.path("gate").path("conditions").forEach(c -> out.add(c.path("name").asText() + "="
                + c.path("passed").asBoolean()));
        return String.join(",", out);
    }

    /** A figure that did not change between the two API reads must be shown as it was; one that did, either. */
    private static void same(String what, String shown, String before, String after, String... allowed) {
        assertThat(shown).as("%s shown (API before %s, after %s)", what, before, after).isIn(before, after);
        if (allowed.length > 0) {
            assertThat(shown).isIn((Object[]) allowed);
        }
    }

    private static void between(String what, double shown, double before, double after, double tolerance) {
        assertThat(shown).as("%s shown (API before %s, after %s)", what, before, after)
                .isBetween(Math.min(before, after) - tolerance, Math.max(before, after) + tolerance);
    }

    /** Pixels within {@code box} (x, y, width, height) close to the colour {@code rgb}. */
    private static long pixelsNear(BufferedImage image, int[] box, int rgb) {
        long n = 0;
        for (int y = Math.max(0, box[1]); y < Math.min(image.getHeight(), box[1] + box[3]); y++) {
            for (int x = Math.max(0, box[0]); x < Math.min(image.getWidth(), box[0] + box[2]); x++) {
                int p = image.getRGB(x, y);
                int dr = ((p >> 16) & 0xff) - ((rgb >> 16) & 0xff);
                int dg = ((p >> 8) & 0xff) - ((rgb >> 8) & 0xff);
                int db = (p & 0xff) - (rgb & 0xff);
                if (dr * dr + dg * dg + db * db < 30 * 30) {
                    n++;
                }
            }
        }
        return n;
    }

    private static JsonNode overview() throws IOException, InterruptedException {
        HttpResponse<String> r = get("/api/overview");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.read(r.body(), JsonNode.class);
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + pipeline.httpPort().orElseThrow() + path);
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static ModeStatus awaitStatus(java.util.function.Predicate<ModeStatus> condition) {
        AtomicReference<ModeStatus> seen = new AtomicReference<>();
        await().atMost(TIMEOUT).until(() -> {
            pipeline.modes().orElseThrow().status(migrating).ifPresent(seen::set);
            return seen.get() != null && condition.test(seen.get());
        });
        return seen.get();
    }

    /**
     * Records on the dead-letter topic for the dashboard to count: written directly, since what is tested here is
     * the count shown, not how the pipeline dead-letters (PipelineIT and the sink tests do that).
     */
    private static void deadLetters() throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                CdcPublisher.producerProperties(config.kafka(), "dashboard-it-dlq"))) {
            for (int i = 0; i < DEAD_LETTERS; i++) {
                producer.send(new ProducerRecord<>(config.kafka().topics().deadLetters(), "key-" + i,
                        "{\"bad\":" + i + "}")).get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Rows the writer has inserted into each table so far; fails the test if the writer failed. */
    private static int writtenRows() {
        writer.check();
        return 4 * writer.writes();
    }

    /** Four rows into each table per write, about four writes a second, at most {@code MAX_WRITES} writes. */
    private static void writeRows() throws SQLException {
        int from = nextRow.getAndAdd(4);
        fx.insertDocuments(migrating, from, from + 3);
        fx.insertDocuments(plain, from, from + 3);
    }
}
