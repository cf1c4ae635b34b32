package io.vectorsync.app;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.config.AppConfigLoader;
import io.vectorsync.app.pipeline.Pipeline;
import io.vectorsync.app.pipeline.Role;
import io.vectorsync.app.pipeline.Stores;
import io.vectorsync.core.kafka.RetentionGap;
import io.vectorsync.core.mode.Backfill;
import io.vectorsync.core.mode.GateVerdict;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A sink stopped while its topic's retention drops changes it never read: on restart it says so, the collection is
 * marked as needing a backfill into that store (gap on the gaps topic, {@code /health} DEGRADED, {@code status},
 * metric), the cutover gate refuses with that reason, and the sink goes on from the oldest record left. The expiry
 * is Kafka's own: {@code deleteRecords} moves the log start offset exactly as retention does when it deletes a
 * segment (retention itself only runs every {@code log.retention.check.interval.ms}, 5 minutes by default, a broker
 * setting). Topics are created with the configured retention.
 */
@ExtendWith(LocalServers.class)
class RetentionGapIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @TempDir
    Path stateDir;

    private PipelineFixture fx;
    private Pipeline pipeline;
    private Pipeline sink;
    private SinkReader neo4j;

    @AfterEach
    void stop() {
        for (Pipeline p : new Pipeline[]{sink, pipeline}) {
            if (p != null) {
                p.close();
            }
        }
        if (neo4j != null) {
            neo4j.close();
        }
        if (fx != null) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(fx::dropSlot);
        }
    }

    @Test
    void changesThatExpireWhileTheSinkIsStoppedAreDetectedOnRestartAndTheCollectionNeedsABackfill() throws Exception {
        Services servers = LocalServers.get();
        fx = new PipelineFixture(servers);
        String table = "ret_" + fx.suffix;
        fx.createDocumentTable(table);
        Map<String, String> raw = fx.config(stateDir);
        PipelineFixture.mapCollection(raw, table, table);
        raw.put("collections." + table + ".legacy", "pgvector");
        raw.put("collections." + table + ".target", "neo4j");
        raw.put("sink.neo4j.uri", servers.neo4jUri());
        raw.put("kafka.topic.retention.ms", "7200000");
        raw.put("kafka.dlq.retention.ms", "-1");
        raw.put("tombstone.retention.ms", "-1");
        Path configFile = PipelineFixture.writeConfig(stateDir.resolve("vectorsync.properties"), raw);
        AppConfig config = AppConfigLoader.load(raw, true);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        pipeline = Pipeline.start(config, EnumSet.of(Role.CONNECTOR, Role.STREAMS), registry);
        sink = Pipeline.start(config, EnumSet.of(Role.SINK), new SimpleMeterRegistry());
        neo4j = Stores.reader(config, SinkName.NEO4J);
        String topic = config.kafka().topics().sink(SinkName.NEO4J);

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafkaBootstrap()))) {
            // Created with the configured retention, not the broker's default.
            Map<String, String> created = topicConfig(admin, topic);
            assertThat(created).containsEntry("retention.ms", "7200000").containsEntry("cleanup.policy", "delete");
            assertThat(topicConfig(admin, config.kafka().topics().deadLetters())).containsEntry("retention.ms", "-1");

            // Both stores take every change from DUAL_WRITE on; the target's backfill of the empty table completes.
            await().atMost(TIMEOUT).until(() -> pipeline.modes().orElseThrow().status(table).isPresent());
            assertThat(Main.execute("mode", "set", "DUAL_WRITE", "--collection", table, "--config",
                    configFile.toString(), "--timeout", "60", "--requested-by", "retention-it")).isZero();
            await().atMost(TIMEOUT).until(() -> pipeline.modes().orElseThrow().status(table)
                    .map(s -> s.backfill() != null && s.backfill().state() == Backfill.State.COMPLETED)
                    .orElse(false));
            fx.insertDocuments(table, 1, 5);
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(ids(neo4j, table)).isEqualTo(range(1, 5)));

            // The sink stops; five changes arrive on its topic and expire unread.
            sink.close();
            sink = null;
            Map<TopicPartition, Long> before = ends(admin, topic);
            fx.insertDocuments(table, 6, 10);
            await().atMost(TIMEOUT).until(() -> total(ends(admin, topic)) - total(before) >= 5);
            Map<TopicPartition, Long> expire = ends(admin, topic);
            admin.deleteRecords(expire.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                    e -> RecordsToDelete.beforeOffset(e.getValue())))).all().get(30, TimeUnit.SECONDS);
            assertThat(pipeline.backfillsNeeded()).isEmpty();

            // The sink restarts: the loss is recorded before it moves on, and it goes on with what is left.
            sink = Pipeline.start(config, EnumSet.of(Role.SINK), new SimpleMeterRegistry());
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(pipeline.backfillsNeeded()).hasSize(1));
            RetentionGap gap = pipeline.backfillsNeeded().get(0);
            assertThat(gap.collection()).isEqualTo(table);
            assertThat(gap.store()).isEqualTo(SinkName.NEO4J);
            assertThat(pipeline.backfillsNeeded().stream().mapToLong(RetentionGap::lost).sum()).isPositive();
            long lost = expire.entrySet().stream().mapToLong(e -> e.getValue() - before.getOrDefault(e.getKey(), 0L))
                    .sum();
            // Each partition's gap is found when that partition is first polled: the first one listed may come
            // before the others are counted.
            Pipeline restarted = sink;
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(
                    restarted.sinkMetrics(SinkName.NEO4J).orElseThrow().expiredUnreadCount()).isEqualTo(lost));
            assertThat(gap.describe()).contains("collection " + table + " needs a backfill into neo4j",
                    "expired before its sink read them");

            // Shown everywhere: /health, status, the metric, and the gate refuses CUTOVER with that reason.
            String health = get("/health");
            assertThat(health).startsWith("200 {\"status\":\"DEGRADED\"").contains("needs a backfill into neo4j");
            assertThat(status()).contains("NEEDS ATTENTION: collection " + table + " needs a backfill into neo4j");
            assertThat(registry.get("vectorsync.collection.backfill.needed").tag("collection", table)
                    .tag("sink", "neo4j").gauge().value()).isEqualTo(1.0);
            assertThat(registry.get("vectorsync.collection.backfill.needed").tag("collection", table)
                    .tag("sink", "pgvector").gauge().value()).isEqualTo(0.0);
            ModeStatus status = pipeline.modes().orElseThrow().status(table).orElseThrow();
            GateVerdict verdict = pipeline.gate().orElseThrow().check(status);
            assertThat(verdict.open()).isFalse();
            assertThat(verdict.conditions()).anySatisfy(c -> {
                assertThat(c.name()).isEqualTo("target retention (neo4j)");
                assertThat(c.passed()).isFalse();
                assertThat(c.value()).contains("expired before its sink read them");
            });

            // The sink goes on: a later change arrives; the expired ones are missing until a backfill.
            fx.insertDocuments(table, 11, 11);
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(ids(neo4j, table)).contains("11"));
            assertThat(ids(neo4j, table)).isEqualTo(union(range(1, 5), range(11, 11)));
            assertThat(fx.stored(table).keySet()).isEqualTo(range(1, 11));
        }
    }

    private static Map<String, String> topicConfig(Admin admin, String topic) throws Exception {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Map<String, String> out = new HashMap<>();
        admin.describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r).entries()
                .forEach(e -> out.put(e.name(), e.value()));
        return out;
    }

    private static Map<TopicPartition, Long> ends(Admin admin, String topic) throws Exception {
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                .partitions().size();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    private static long total(Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    private static TreeSet<String> ids(SinkReader reader, String collection) throws Exception {
        return new TreeSet<>(reader.findAll(collection, range(1, 20)).keySet());
    }

    private static TreeSet<String> range(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(Integer::toString).collect(Collectors.toCollection(TreeSet::new));
    }

    private static TreeSet<String> union(TreeSet<String> a, TreeSet<String> b) {
        TreeSet<String> u = new TreeSet<>(a);
        u.addAll(b);
        return u;
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + pipeline.httpPort().orElseThrow() + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    private String status() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream before = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.execute("status", "--url", "http://127.0.0.1:" + pipeline.httpPort().orElseThrow()))
                    .as("vectorsync status exit code").isZero();
        } finally {
            System.setOut(before);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
