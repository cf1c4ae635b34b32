package io.vectorsync.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.config.AppConfigLoader;
import io.vectorsync.app.pipeline.Stores;
import io.vectorsync.app.preflight.Preflight;
import io.vectorsync.app.preflight.PreflightReport;
import io.vectorsync.app.preflight.PreflightTable;
import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.Sink;
import io.vectorsync.sink.preflight.CheckResult.Status;
import io.vectorsync.sink.preflight.CheckResult;
import io.vectorsync.sink.preflight.PreflightCheck;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code vectorsync preflight} against the real test servers: a good configuration, and one broken in six ways. */
@ExtendWith(LocalServers.class)
class PreflightIT {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path state;

    @Test
    void aGoodConfigurationPassesWithEveryCheckPresentAndStoresOfTheRightDimension() throws Exception {
        Services servers = LocalServers.get();
        PipelineFixture fx = new PipelineFixture(servers);
        String collection = "pf_" + fx.suffix;
        fx.createDocumentTable(collection);
        Map<String, String> raw = config(fx, collection);
        AppConfig config = AppConfigLoader.load(raw, false);
        // The collection already exists in every store, as the sinks create it: its dimension is read back.
        CollectionMapping mapping = config.mappings().collections().get(0);
        for (SinkName store : SinkName.values()) {
            try (Sink sink = Stores.sink(config, store)) {
                sink.prepare(mapping);
            }
        }

        PreflightReport report = Preflight.of(config, CALL_TIMEOUT).run();

        String table = new PreflightTable().render(report);
        assertThat(report.results()).as(table).allSatisfy(r -> assertThat(r.status()).isIn(Status.OK, Status.WARN));
        assertThat(report.exitCode()).isZero();
        assertThat(report.results()).extracting(CheckResult::check).containsExactly(
                "kafka.reachable", "kafka.version", "kafka.topics", "kafka.replication", "kafka.security",
                "source.reachable", "source.wal_level", "source.replication_slots", "source.wal_senders",
                "source.replication_role", "source.slot", "source.publication", "source.table:" + collection,
                "source.signal_table", "source.heartbeat_table",
                "pgvector.reachable", "pgvector.extension", "pgvector.text_search", "pgvector.table:" + collection,
                "neo4j.reachable", "neo4j.vector_index", "neo4j.index:" + collection,
                "milvus.health", "milvus.version", "milvus.collection:" + collection,
                "embedding.model", "embedding.dimension", "embedding.dimension:pgvector",
                "embedding.dimension:neo4j", "embedding.dimension:milvus");
        Map<String, CheckResult> rows = byCheck(report.results());
        assertThat(rows.get("source.wal_level").status()).isEqualTo(Status.OK);
        assertThat(rows.get("source.table:" + collection).status()).isEqualTo(Status.OK);
        // Not created before a pipeline starts: each says so, and that start creates it.
        for (String created : List.of("source.slot", "source.publication", "source.signal_table",
                "source.heartbeat_table", "kafka.topics")) {
            assertThat(rows.get(created).status()).as(created).isEqualTo(Status.WARN);
            assertThat(rows.get(created).detail()).as(created).contains("created at start");
        }
        for (String store : List.of("pgvector.table:", "neo4j.index:", "milvus.collection:")) {
            CheckResult r = rows.get(store + collection);
            assertThat(r.status()).as(r.toString()).isEqualTo(Status.OK);
            assertThat(r.detail()).contains("exists with 384 dimensions");
        }
        assertThat(rows.get("embedding.model").detail()).contains("all-minilm-l6-v2-q").contains("384 dimensions");
    }

    @Test
    void aBrokenConfigurationFailsEachBrokenCheckWithAFixWhileTheOthersStillRun() throws Exception {
        Services servers = LocalServers.get();
        PipelineFixture fx = new PipelineFixture(servers);
        String collection = "pf_" + fx.suffix;
        fx.createDocumentTable(collection);
        Map<String, String> raw = config(fx, collection);
        int[] closed = closedPorts(3);
        raw.put("kafka.bootstrap.servers", "127.0.0.1:" + closed[0]);
        raw.put("sink.neo4j.uri", "bolt://127.0.0.1:" + closed[1]);
        raw.put("sink.milvus.uri", "http://127.0.0.1:" + closed[2]);
        // The source table has no such column.
        raw.put("collections." + collection + ".template", "{title}: {summary}");
        // A table left by an earlier model of another dimension.
        fx.sql(fx.sinkDb, "CREATE TABLE public." + collection + " (id text PRIMARY KEY, embedding vector(3))");
        // A heartbeat table a DBA made without a key: the heartbeat's upsert (ON CONFLICT (id)) would fail.
        fx.sql(fx.sourceDb, "CREATE TABLE public.vectorsync_heartbeat (id int, ts timestamptz)");
        raw.put("source.password", "not-a-real-secret");
        Path file = state.resolve("broken.properties");
        Files.writeString(file, raw.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n")));

        long start = System.nanoTime();
        Captured run = runCli("preflight", "--config", file.toString(), "--format", "json", "--timeout",
                Long.toString(CALL_TIMEOUT.toSeconds()));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(run.code()).as(run.out()).isEqualTo(1);
        // The test log configuration also writes to stdout: the report is its one JSON line.
        String report = run.out().lines().filter(l -> l.startsWith("{\"passed\"")).findFirst().orElseThrow();
        JsonNode json = Json.mapper().readTree(report);
        assertThat(json.get("passed").asBoolean()).isFalse();
        Map<String, JsonNode> rows = new LinkedHashMap<>();
        json.get("results").forEach(r -> rows.put(r.get("check").asText(), r));
        String all = run.out();

        assertFails(rows, "kafka.reachable", "127.0.0.1:" + closed[0], "kafka.bootstrap.servers");
        assertFails(rows, "neo4j.reachable", "bolt://127.0.0.1:" + closed[1], "sink.neo4j.uri");
        assertFails(rows, "milvus.health", "http://127.0.0.1:" + closed[2], "sink.milvus.uri");
        assertFails(rows, "source.table:" + collection, "summary", "collections." + collection + ".template");
        assertFails(rows, "pgvector.table:" + collection, "\"public\".\"" + collection + "\"", "DROP TABLE");
        assertFails(rows, "source.heartbeat_table", "no primary key or unique index on id",
                "ALTER TABLE public.vectorsync_heartbeat ADD PRIMARY KEY (id)");
        assertThat(rows.get("pgvector.table:" + collection).get("detail").asText())
                .contains("3-dimensional").contains("embedding.dimension is 384");
        // The groups that could run did, and the ones that could not reach their server stopped at that row.
        for (String ran : List.of("source.reachable", "source.wal_level", "source.replication_role",
                "pgvector.reachable", "pgvector.extension", "embedding.model", "embedding.dimension")) {
            assertThat(rows.get(ran)).as(ran + " in " + all).isNotNull();
            assertThat(rows.get(ran).get("status").asText()).as(ran).isEqualTo("OK");
        }
        assertThat(rows).doesNotContainKeys("kafka.topics", "neo4j.vector_index", "milvus.version");
        rows.values().stream().filter(r -> r.get("status").asText().equals("FAIL"))
                .forEach(r -> assertThat(r.get("fix").asText()).as(r.toString()).isNotBlank());
        assertThat(all).doesNotContain("not-a-real-secret");
        // Each server's group is bounded by three call timeouts and they run side by side: an unreachable server
        // costs seconds. The bound leaves room for loading the model on a busy machine.
        assertThat(took).isLessThan(CALL_TIMEOUT.multipliedBy(PreflightCheck.CALLS_PER_GROUP).plusSeconds(20));
    }

    private Map<String, String> config(PipelineFixture fx, String collection) {
        Map<String, String> raw = fx.config(state);
        PipelineFixture.mapCollection(raw, collection, collection);
        raw.put("collections." + collection + ".sinks", "pgvector,neo4j,milvus");
        raw.put("sink.neo4j.uri", fx.servers.neo4jUri());
        raw.put("sink.milvus.uri", fx.servers.milvusUri());
        raw.put("sink.milvus.timeout.ms", "10000");
        return raw;
    }

    private static void assertFails(Map<String, JsonNode> rows, String check, String detailNames, String fixNames) {
        JsonNode row = rows.get(check);
        assertThat(row).as(check + " in " + rows.keySet()).isNotNull();
        assertThat(row.get("status").asText()).as(row.toString()).isEqualTo("FAIL");
        assertThat(row.get("detail").asText()).as(check).contains(detailNames);
        assertThat(row.get("fix").asText()).as(check).contains(fixNames);
    }

    private static Map<String, CheckResult> byCheck(List<CheckResult> results) {
        Map<String, CheckResult> rows = new LinkedHashMap<>();
        results.forEach(r -> rows.put(r.check(), r));
        return rows;
    }

    /** Ports nothing listens on: bound once to find them free, then closed. */
    private static int[] closedPorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0));
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }

    private record Captured(int code, String out) {
    }

    private static Captured runCli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, UTF_8));
        try {
            int code = Main.execute(args);
            return new Captured(code, out.toString(UTF_8));
        } finally {
            System.setOut(original);
        }
    }
}
