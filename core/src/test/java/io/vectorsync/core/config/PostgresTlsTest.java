package io.vectorsync.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class PostgresTlsTest {
    private static final PostgresTls.Keys KEYS = PostgresTls.keys("source.", "the source PostgreSQL");

    @Test
    void verifyFullWithACaFileReachesTheDriverAndDebezium(@TempDir Path dir) throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.crt"), "pem");
        ConfigReader reader = new ConfigReader(Map.of("source.sslmode", "verify-full",
                "source.sslrootcert", ca.toString()), Map.of());

        PostgresTls tls = PostgresTls.from(reader, KEYS);
        Properties jdbc = new Properties();
        tls.applyTo(jdbc);

        assertThat(reader.problems()).isEmpty();
        assertThat(jdbc).containsEntry("sslmode", "verify-full").containsEntry("sslrootcert", ca.toString())
                .hasSize(2);
        assertThat(tls.debeziumProperties()).containsExactly(Map.entry("database.sslmode", "verify-full"),
                Map.entry("database.sslrootcert", ca.toString()));
    }

    @Test
    void byDefaultTheDriversOwnPreferIsKept() {
        ConfigReader reader = new ConfigReader(Map.of(), Map.of());

        assertThat(PostgresTls.from(reader, KEYS)).isEqualTo(PostgresTls.DEFAULT);
        assertThat(PostgresTls.DEFAULT.jdbcProperties()).containsExactly(Map.entry("sslmode", "prefer"));
    }

    @Test
    void verifyWithoutACaAnUnreadableFileAHalfClientPairAndAnUnknownModeAreProblems(@TempDir Path dir) {
        ConfigReader reader = new ConfigReader(Map.of("source.sslmode", "verify-ca",
                "source.sslcert", dir.resolve("missing.crt").toString()), Map.of());
        PostgresTls.from(reader, KEYS);
        ConfigReader unknown = new ConfigReader(Map.of("source.sslmode", "verify_full"), Map.of());
        PostgresTls.from(unknown, KEYS);

        assertThat(reader.problems()).extracting(ConfigProblem::toString).containsExactlyInAnyOrder(
                "'source.sslmode' was 'verify-ca' but it needs source.sslrootcert, the CA file that signed the"
                        + " server's certificate",
                "'source.sslkey' must be set with source.sslcert (a client certificate needs its key)",
                "'source.sslcert' was '" + dir.resolve("missing.crt") + "' but the file cannot be read");
        assertThat(unknown.problems()).extracting(ConfigProblem::toString).containsExactly(
                "'source.sslmode' was 'verify_full' but it must be one of [disable, allow, prefer, require,"
                        + " verify-ca, verify-full]");
    }

    @Test
    void aPemClientKeyIsAProblemSayingWhichFormatsTheDriverReads(@TempDir Path dir) throws Exception {
        Path cert = Files.writeString(dir.resolve("client.crt"), "-----BEGIN CERTIFICATE-----\n");
        Path pem = Files.writeString(dir.resolve("client.key"), "-----BEGIN PRIVATE KEY-----\nMIIE\n");
        Path der = Files.write(dir.resolve("client.pk8"), new byte[] {0x30, (byte) 0x82, 0x04});
        ConfigReader reader = new ConfigReader(Map.of("source.sslcert", cert.toString(),
                "source.sslkey", pem.toString()), Map.of());
        PostgresTls.from(reader, KEYS);
        ConfigReader fine = new ConfigReader(Map.of("source.sslcert", cert.toString(),
                "source.sslkey", der.toString()), Map.of());
        PostgresTls.from(fine, KEYS);

        assertThat(reader.problems()).extracting(ConfigProblem::toString).containsExactly("'source.sslkey' was '"
                + pem + "' but it is a PEM file, which the PostgreSQL JDBC driver does not read: give the key as"
                + " PKCS-8 DER (openssl pkcs8 -topk8 -outform DER -nocrypt -in " + pem + " -out client.pk8) or"
                + " PKCS-12 (.p12)");
        assertThat(fine.problems()).isEmpty();
    }

    @Test
    void theKeyPasswordIsSecretAndNeverPrinted() {
        PostgresTls tls = new PostgresTls(PostgresTls.SslMode.REQUIRE, "", "c.crt", "c.pk8", "key-pw");

        assertThat(KEYS.keyPassword().secret()).isTrue();
        assertThat(tls.toString()).doesNotContain("key-pw").contains("sslpassword=****");
    }
}
