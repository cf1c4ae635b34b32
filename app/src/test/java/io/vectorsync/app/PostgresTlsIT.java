package io.vectorsync.app;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.config.AppConfigLoader;
import io.vectorsync.app.pipeline.Pipeline;
import io.vectorsync.app.pipeline.Role;
import io.vectorsync.app.preflight.Preflight;
import io.vectorsync.core.config.ConfigException;
import io.vectorsync.core.config.PostgresTls;
import io.vectorsync.sink.preflight.CheckResult;
import io.vectorsync.sink.preflight.CheckResult.Status;
import io.vectorsync.testkit.LocalServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The pipeline against the local PostgreSQL (ssl=on, a certificate signed by the scripts' test CA) with
 * {@code sslmode=verify-full} for the source, Debezium's replication connection and pgvector, logged in as a role
 * that may log in only with a client certificate (mTLS: {@code sslcert}/{@code sslkey}); a CA that did not sign the
 * server's certificate, a missing client certificate and one issued to another name refused with errors that say so.
 */
@ExtendWith(LocalServers.class)
class PostgresTlsIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path stateDir;
    @TempDir
    static Path certDir;

    private static PipelineFixture fx;
    private static Pipeline pipeline;
    private static String table;
    private static Path ca;
    private static LocalServers.PgClientCert client;

    @BeforeAll
    static void start() throws Exception {
        ca = LocalServers.pgCaFile();
        client = LocalServers.pgClientCert();
        fx = new PipelineFixture(LocalServers.get());
        table = "secured_" + fx.suffix;
        fx.createDocumentTable(table);
        fx.insertDocuments(table, 1, 10);
        // The certificate role owns what the pipeline writes: its databases (so it may create the signal table and
        // the collection tables) and the captured table (so it may put it into the publication).
        fx.sql("postgres", "ALTER DATABASE " + fx.sourceDb + " OWNER TO " + client.user());
        fx.sql("postgres", "ALTER DATABASE " + fx.sinkDb + " OWNER TO " + client.user());
        fx.sql(fx.sourceDb, "ALTER TABLE " + table + " OWNER TO " + client.user());
        Map<String, String> config = withClientCert(verifyFull(fx.config(stateDir), ca), client);
        PipelineFixture.mapCollection(config, "secured", table);
        pipeline = Pipeline.start(AppConfigLoader.load(config, true), EnumSet.allOf(Role.class),
                new SimpleMeterRegistry());
    }

    @AfterAll
    static void stop() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(fx::dropSlot);
    }

    @Test
    void thePipelineRunsWithVerifyFullAndAClientCertificateAndItsReplicationAndJdbcConnectionsUseThem()
            throws Exception {
        fx.insertDocuments(table, 11, 20);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(fx.stored("secured")).isEqualTo(fx.expected(table)));

        try (Connection c = fx.servers.connect("postgres");
             PreparedStatement replication = c.prepareStatement("SELECT s.ssl, s.version, a.usename, s.client_dn"
                     + " FROM pg_replication_slots r JOIN pg_stat_ssl s ON s.pid = r.active_pid"
                     + " JOIN pg_stat_activity a ON a.pid = r.active_pid WHERE r.slot_name = ?");
             PreparedStatement sessions = c.prepareStatement("SELECT a.datname, a.application_name, s.ssl,"
                     + " a.usename, s.client_dn FROM pg_stat_activity a JOIN pg_stat_ssl s ON s.pid = a.pid"
                     + " WHERE a.datname IN (?, ?) AND a.application_name LIKE 'vectorsync%'")) {
            replication.setString(1, fx.slot());
            try (ResultSet rs = replication.executeQuery()) {
                assertThat(rs.next()).as("the slot's walsender is connected").isTrue();
                assertThat(rs.getBoolean(1)).as("Debezium's replication connection uses TLS").isTrue();
                assertThat(rs.getString(2)).startsWith("TLSv1.");
                assertThat(rs.getString(3) + " " + rs.getString(4)).as("logged in with the client certificate")
                        .isEqualTo(client.user() + " /CN=" + client.user());
            }
            sessions.setString(1, fx.sourceDb);
            sessions.setString(2, fx.sinkDb);
            List<String> plain = new ArrayList<>();
            List<String> seen = new ArrayList<>();
            try (ResultSet rs = sessions.executeQuery()) {
                while (rs.next()) {
                    seen.add(rs.getString(1) + "/" + rs.getString(2));
                    if (!rs.getBoolean(3) || !client.user().equals(rs.getString(4))
                            || !("/CN=" + client.user()).equals(rs.getString(5))) {
                        plain.add(rs.getString(1) + "/" + rs.getString(2) + " as " + rs.getString(4) + " "
                                + rs.getString(5));
                    }
                }
            }
            assertThat(seen).as("vectorsync's sessions").anyMatch(s -> s.startsWith(fx.sinkDb + "/"));
            assertThat(seen).as("vectorsync's sessions").anyMatch(s -> s.startsWith(fx.sourceDb + "/"));
            assertThat(plain).as("vectorsync sessions without TLS or without the client certificate").isEmpty();
        }
    }

    @Test
    void aCaThatDidNotSignTheServersCertificateIsRefusedWithAClearError() throws Exception {
        Path wrongCa = someOtherCa();
        AppConfig config = AppConfigLoader.load(withCollection(verifyFull(fx.config(stateDir), wrongCa)), false);

        assertThatThrownBy(() -> config.source().sourceDatabase().connect("vectorsync-tls-test",
                Duration.ofSeconds(10), Duration.ofSeconds(10)).close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("SSL error")
                .hasMessageContaining("unable to find valid certification path");

        Map<String, CheckResult> rows = Preflight.of(config, Duration.ofSeconds(10)).run().results().stream()
                .collect(Collectors.toMap(CheckResult::check, Function.identity(), (a, b) -> a));
        for (String check : List.of("source.reachable", "pgvector.reachable")) {
            CheckResult row = rows.get(check);
            assertThat(row.status()).as(check).isEqualTo(Status.FAIL);
            assertThat(row.detail()).as(check).contains("TLS refused: ", "unable to find valid certification path");
            String prefix = check.startsWith("source") ? "source." : "sink.pgvector.";
            assertThat(row.fix()).as(check).contains(prefix + "sslrootcert");
        }
    }

    @Test
    void verifyFullChecksTheHostNameAgainstTheCertificate() throws Exception {
        Map<String, String> raw = withCollection(verifyFull(fx.config(stateDir), ca));
        // 127.0.0.2 reaches the same server (loopback) but is not a name in its certificate.
        raw.put("source.host", "127.0.0.2");
        AppConfig config = AppConfigLoader.load(raw, false);

        assertThatThrownBy(() -> config.source().sourceDatabase().connect("vectorsync-tls-test",
                Duration.ofSeconds(10), Duration.ofSeconds(10)).close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("127.0.0.2");
    }

    @Test
    void aMissingClientCertificateIsRefusedAtPreflightNamingTheKeys() {
        Map<String, String> raw = withCollection(verifyFull(fx.config(stateDir), ca));
        raw.put("source.user", client.user());
        raw.put("sink.pgvector.user", client.user());

        assertClientCertificateRefused(AppConfigLoader.load(raw, false),
                "connection requires a valid client certificate");
    }

    @Test
    void aClientCertificateIssuedToAnotherNameIsRefusedAtPreflightNamingTheKeys() {
        AppConfig config = AppConfigLoader.load(withCollection(withClientCert(verifyFull(fx.config(stateDir), ca),
                client.otherName())), false);

        assertClientCertificateRefused(config, "certificate authentication failed for user \"" + client.user() + "\"");
    }

    @Test
    void aPemKeyIsAConfigurationProblemBeforeAnyConnection() {
        // pgjdbc 42.7 reads the key as PKCS-8 DER (.pk8) or PKCS-12 (.p12), not the PEM file openssl writes first;
        // it would fail at the first connection with "Could not read SSL key file ... extra data at the end".
        Path pem = client.key().resolveSibling(client.user() + ".key");
        Map<String, String> raw = withCollection(withClientCert(verifyFull(fx.config(stateDir), ca),
                new LocalServers.PgClientCert(client.user(), client.cert(), pem)));

        assertThatThrownBy(() -> AppConfigLoader.load(raw, false)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'source.sslkey' was '" + pem + "' but it is a PEM file")
                .hasMessageContaining("'sink.pgvector.sslkey' was '" + pem + "' but it is a PEM file");
    }

    private static void assertClientCertificateRefused(AppConfig config, String serverSays) {
        Map<String, CheckResult> rows = Preflight.of(config, Duration.ofSeconds(10)).run().results().stream()
                .collect(Collectors.toMap(CheckResult::check, Function.identity(), (a, b) -> a));
        for (String check : List.of("source.reachable", "pgvector.reachable")) {
            CheckResult row = rows.get(check);
            assertThat(row.status()).as(check).isEqualTo(Status.FAIL);
            assertThat(row.detail()).as(check).contains("client certificate refused: ", serverSays);
            String prefix = check.startsWith("source") ? "source." : "sink.pgvector.";
            assertThat(row.fix()).as(check).contains(prefix + "sslcert", prefix + "sslkey",
                    "whose CN is the user in " + prefix + "user");
        }
    }

    private static Map<String, String> withClientCert(Map<String, String> config, LocalServers.PgClientCert cert) {
        for (String prefix : List.of("source.", "sink.pgvector.")) {
            config.put(prefix + "user", cert.user());
            config.put(prefix + "sslcert", cert.cert().toString());
            config.put(prefix + "sslkey", cert.key().toString());
        }
        return config;
    }

    private static Map<String, String> withCollection(Map<String, String> config) {
        PipelineFixture.mapCollection(config, "secured", table);
        return config;
    }

    private static Map<String, String> verifyFull(Map<String, String> config, Path caFile) {
        config.put("source.sslmode", PostgresTls.SslMode.VERIFY_FULL.id());
        config.put("source.sslrootcert", caFile.toString());
        config.put("sink.pgvector.sslmode", PostgresTls.SslMode.VERIFY_FULL.id());
        config.put("sink.pgvector.sslrootcert", caFile.toString());
        return config;
    }

    /** A real CA that did not sign the test server's certificate: the first of the JDK's own, as PEM. */
    private static Path someOtherCa() throws Exception {
        KeyStore jdk = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("java.home"), "lib/security/cacerts"))) {
            jdk.load(in, null);
        }
        Certificate cert = jdk.getCertificate(jdk.aliases().nextElement());
        Path file = certDir.resolve("other-ca.crt");
        Files.writeString(file, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        return file;
    }
}
