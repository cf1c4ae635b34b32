package io.vectorsync.app;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.config.AppConfigLoader;
import io.vectorsync.app.pipeline.Pipeline;
import io.vectorsync.app.pipeline.Role;
import io.vectorsync.app.pipeline.Stores;
import io.vectorsync.app.security.KafkaAcls;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.SecureKafka;
import io.vectorsync.testkit.Services;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The pipeline and its commands against the broker's SASL_SSL (SCRAM-SHA-512) listener, where the standard
 * authorizer lets each principal do only what {@link KafkaAcls} grants its role: the service runs the whole
 * pipeline, an operator moves a mode, a read-only principal can read the status but not change a mode.
 */
@ExtendWith(LocalServers.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuredKafkaIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path stateDir;

    private static PipelineFixture fx;
    private static Pipeline pipeline;
    private static String table;
    private static final Map<KafkaAcls.Role, String> USERS = new EnumMap<>(KafkaAcls.Role.class);
    private static final Map<KafkaAcls.Role, String> PASSWORDS = new EnumMap<>(KafkaAcls.Role.class);
    private static final Map<KafkaAcls.Role, Path> CONFIG_FILES = new EnumMap<>(KafkaAcls.Role.class);
    private static final Map<SinkName, SinkReader> READERS = new EnumMap<>(SinkName.class);
    private static SecureKafka kafka;

    record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void start() throws Exception {
        Services servers = LocalServers.get();
        kafka = LocalServers.secureKafka();
        fx = new PipelineFixture(servers);
        table = "sec_" + fx.suffix;
        fx.createDocumentTable(table);
        fx.insertDocuments(table, 1, 5);
        Map<String, String> base = fx.config(stateDir);
        PipelineFixture.mapCollection(base, table, table);
        base.put("collections." + table + ".legacy", "pgvector");
        base.put("collections." + table + ".target", "neo4j");
        base.put("sink.neo4j.uri", servers.neo4jUri());
        // The source, Debezium's replication connection and pgvector over TLS, the server's name verified: the
        // secured production of issue 13, Kafka and PostgreSQL together.
        String ca = LocalServers.pgCaFile().toString();
        base.put("source.sslmode", "verify-full");
        base.put("source.sslrootcert", ca);
        base.put("sink.pgvector.sslmode", "verify-full");
        base.put("sink.pgvector.sslrootcert", ca);
        AppConfig plain = AppConfigLoader.load(base, false);
        for (KafkaAcls.Role role : KafkaAcls.Role.values()) {
            String user = role.name().toLowerCase() + "-" + fx.suffix;
            String password = UUID.randomUUID().toString();
            kafka.createUser(user, password);
            kafka.allow(KafkaAcls.of(role, "User:" + user, plain));
            USERS.put(role, user);
            PASSWORDS.put(role, password);
            Map<String, String> raw = new HashMap<>(base);
            raw.putAll(kafka.clientConfig(user, password));
            CONFIG_FILES.put(role, PipelineFixture.writeConfig(stateDir.resolve(role + ".properties"), raw));
        }
        Map<String, String> service = new HashMap<>(base);
        service.putAll(kafka.clientConfig(USERS.get(KafkaAcls.Role.SERVICE), PASSWORDS.get(KafkaAcls.Role.SERVICE)));
        AppConfig config = AppConfigLoader.load(service, true);
        for (SinkName store : List.of(SinkName.PGVECTOR, SinkName.NEO4J)) {
            READERS.put(store, Stores.reader(config, store));
        }
        pipeline = Pipeline.start(config, EnumSet.allOf(Role.class), new SimpleMeterRegistry());
    }

    @AfterAll
    static void stop() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
        for (SinkReader reader : READERS.values()) {
            reader.close();
        }
        if (fx != null) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(fx::dropSlot);
        }
    }

    @Test
    @Order(1)
    void theServicePrincipalRunsThePipelineIntoTheLegacyStore() throws Exception {
        await().atMost(TIMEOUT).until(() -> pipeline.modes().orElseThrow().status(table)
                .filter(s -> s.mode() == StorageMode.SOURCE_ONLY).isPresent());
        awaitStoresEqualTheSource(List.of(SinkName.PGVECTOR));
        assertThat(pipeline.failure()).isEmpty();
        try (Connection c = fx.servers.connect("postgres");
             PreparedStatement ps = c.prepareStatement("SELECT s.ssl FROM pg_replication_slots r"
                     + " JOIN pg_stat_ssl s ON s.pid = r.active_pid WHERE r.slot_name = ?")) {
            ps.setString(1, fx.slot());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("the slot's walsender is connected").isTrue();
                assertThat(rs.getBoolean(1)).as("Debezium's replication connection uses TLS").isTrue();
            }
        }
    }

    @Test
    @Order(2)
    void aReadOnlyPrincipalReadsTheModesButCannotChangeOneKafkaRefusesItNamingTheMissingPermission() {
        Run status = cli(KafkaAcls.Role.READER, "mode", "status", "--json");
        assertThat(status.code()).as(status.toString()).isZero();
        assertThat(status.out()).contains("\"" + table + "\"").contains("SOURCE_ONLY");

        Run set = cli(KafkaAcls.Role.READER, "mode", "set", "DUAL_WRITE", "--collection", table, "--timeout", "20");

        String own = "it_" + fx.suffix + ".control." + USERS.get(KafkaAcls.Role.READER);
        assertThat(set.code()).as(set.toString()).isEqualTo(3);
        assertThat(set.err()).contains("TOPIC_AUTHORIZATION_FAILED on " + own + ": principal User:"
                + USERS.get(KafkaAcls.Role.READER) + " needs CREATE (Kafka said: ");
        assertThat(pipeline.modes().orElseThrow().status(table).orElseThrow().mode())
                .isEqualTo(StorageMode.SOURCE_ONLY);
    }

    @Test
    @Order(3)
    void onlyAnOperatorWritesAControlTopicItsOwnAndOnlyTheServiceWritesTheStatusTopic() {
        String shared = "it_" + fx.suffix + ".control";
        String operators = shared + "." + USERS.get(KafkaAcls.Role.OPERATOR);
        String status = "it_" + fx.suffix + ".status";
        assertThatThrownBy(() -> send(KafkaAcls.Role.SERVICE, shared)).hasRootCauseInstanceOf(
                TopicAuthorizationException.class);
        assertThatThrownBy(() -> send(KafkaAcls.Role.SERVICE, operators)).hasRootCauseInstanceOf(
                TopicAuthorizationException.class);
        assertThatThrownBy(() -> send(KafkaAcls.Role.OPERATOR, shared)).hasRootCauseInstanceOf(
                TopicAuthorizationException.class);
        assertThatThrownBy(() -> send(KafkaAcls.Role.OPERATOR, status)).hasRootCauseInstanceOf(
                TopicAuthorizationException.class);
        // A principal with no WRITE anywhere is stopped sooner: its idempotent producer may not even start.
        assertThatThrownBy(() -> send(KafkaAcls.Role.READER, operators)).hasRootCauseInstanceOf(
                AuthorizationException.class);
        assertThatThrownBy(() -> send(KafkaAcls.Role.READER, status)).hasRootCauseInstanceOf(
                AuthorizationException.class);
    }

    @Test
    @Order(4)
    void anOperatorMovesTheModeAndThePipelineBackfillsTheTargetAsTheServicePrincipal() throws Exception {
        Run set = cli(KafkaAcls.Role.OPERATOR, "mode", "set", "DUAL_WRITE", "--collection", table, "--timeout",
                "60", "--requested-by", "someone-else");
        assertThat(set.code()).as(set.toString()).isZero();
        fx.insertDocuments(table, 6, 8);

        awaitStoresEqualTheSource(List.of(SinkName.PGVECTOR, SinkName.NEO4J));
        ModeStatus applied = pipeline.modes().orElseThrow().status(table).orElseThrow();
        assertThat(applied.mode()).isEqualTo(StorageMode.DUAL_WRITE);
        assertThat(applied.requestedBy()).as("the authenticated principal, not the declared one")
                .isEqualTo("User:" + USERS.get(KafkaAcls.Role.OPERATOR));
    }

    @Test
    @Order(5)
    void validatePreflightAndStatusWorkAgainstTheSecuredBroker() {
        Run validate = cli(KafkaAcls.Role.OPERATOR, "validate", "--collection", table);
        assertThat(validate.code()).as(validate.toString()).isZero();

        Run preflight = cli(KafkaAcls.Role.SERVICE, "preflight", "--format", "json", "--timeout", "30");
        assertThat(preflight.out()).as(preflight.toString()).contains("\"kafka.reachable\"");
        assertThat(preflight.out()).doesNotContain(PASSWORDS.get(KafkaAcls.Role.SERVICE));
        assertThat(preflight.code()).as(preflight.toString()).isZero();

        // status asks the service's HTTP API, which reads modes and lag through the secured broker.
        Run status = run(List.of("status", "--url", "http://127.0.0.1:" + pipeline.httpPort().orElseThrow()));
        assertThat(status.code()).as(status.toString()).isZero();
        assertThat(status.out()).as(status.toString()).contains("collection " + table + ": DUAL_WRITE");
        for (String password : PASSWORDS.values()) {
            assertThat(status.out() + status.err()).doesNotContain(password);
        }
    }

    private void awaitStoresEqualTheSource(List<SinkName> stores) {
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Map<String, PipelineFixture.Doc> expected = fx.expected(table);
            for (SinkName store : stores) {
                assertThat(PipelineFixture.differences(READERS.get(store), table, expected)).as(store.id())
                        .isEmpty();
            }
            assertThat(fx.stored(table).keySet()).isEqualTo(expected.keySet());
        });
    }

    private static void send(KafkaAcls.Role role, String topic) throws Exception {
        Map<String, Object> p = new HashMap<>(kafka.clientProperties(USERS.get(role), PASSWORDS.get(role)));
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, table, "{}")).get(30, TimeUnit.SECONDS);
        }
    }

    private static Run cli(KafkaAcls.Role role, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", CONFIG_FILES.get(role).toString()));
        return run(all);
    }

    private static synchronized Run run(List<String> all) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try (PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
             PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8)) {
            System.setOut(po);
            System.setErr(pe);
            int code = Main.execute(all.toArray(String[]::new));
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
