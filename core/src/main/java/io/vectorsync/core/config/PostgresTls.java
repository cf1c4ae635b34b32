package io.vectorsync.core.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * TLS to a PostgreSQL server, as the JDBC driver (and Debezium through it) takes it: {@code sslmode} and the CA,
 * client certificate and key files. One definition for the source ({@code source.ssl*}) and pgvector
 * ({@code sink.pgvector.ssl*}). The key's password is never printed.
 *
 * @param rootCert the CA file (PEM) the server's certificate must chain to; empty for none
 * @param cert     the client certificate (PEM); empty for none
 * @param key      the client key (PKCS-8 DER {@code .pk8} or PKCS-12 {@code .p12}, as pgjdbc reads it); empty for none
 */
public record PostgresTls(SslMode mode, String rootCert, String cert, String key, String keyPassword) {

    /** libpq's and pgjdbc's {@code sslmode}: from no TLS to TLS with the server's certificate and host name checked. */
    public enum SslMode {
        DISABLE("disable"), ALLOW("allow"), PREFER("prefer"), REQUIRE("require"), VERIFY_CA("verify-ca"),
        VERIFY_FULL("verify-full");

        private final String id;

        SslMode(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        /** Whether the server's certificate is checked against a CA (and so a CA file is needed). */
        public boolean verifies() {
            return this == VERIFY_CA || this == VERIFY_FULL;
        }
    }

    private static final byte[] PEM_START = "-----BEGIN".getBytes(StandardCharsets.US_ASCII);

    /** The driver's own default: TLS when the server offers it, nothing checked. */
    public static final PostgresTls DEFAULT = new PostgresTls(SslMode.PREFER, "", "", "", "");

    public PostgresTls {
        rootCert = rootCert == null ? "" : rootCert;
        cert = cert == null ? "" : cert;
        key = key == null ? "" : key;
        keyPassword = keyPassword == null ? "" : keyPassword;
    }

    /** The keys of one server's TLS settings, {@code <prefix>sslmode} and so on. */
    public record Keys(ConfigKey<SslMode> mode, ConfigKey<String> rootCert, ConfigKey<String> cert,
                       ConfigKey<String> key, ConfigKey<String> keyPassword) {
        public List<ConfigKey<?>> all() {
            return List.of(mode, rootCert, cert, key, keyPassword);
        }
    }

    /** @param server how the descriptions name the server, e.g. "the source PostgreSQL" */
    public static Keys keys(String prefix, String server) {
        return new Keys(
                ConfigKey.enumKey(prefix + "sslmode", SslMode.PREFER, SslMode.class, SslMode::id,
                        "TLS to " + server + ": disable, allow, prefer, require, verify-ca or verify-full (as"
                                + " libpq). verify-full checks the server's certificate against " + prefix
                                + "sslrootcert and its host name; use it in production."),
                ConfigKey.optionalString(prefix + "sslrootcert", "CA certificate file (PEM) that signed " + server
                        + "'s certificate; required for verify-ca and verify-full."),
                ConfigKey.optionalString(prefix + "sslcert", "Client certificate file (PEM) for certificate"
                        + " authentication to " + server + "; with " + prefix + "sslkey."),
                ConfigKey.optionalString(prefix + "sslkey", "Client key file (PKCS-8 DER .pk8, or PKCS-12 .p12) for"
                        + " " + prefix + "sslcert; the path, not the key."),
                ConfigKey.secret(prefix + "sslpassword", "Password of the client key file " + prefix + "sslkey,"
                        + " if it is encrypted."));
    }

    /** Reads the keys; problems (an unreadable file, verify-* without a CA) are left in the reader. */
    public static PostgresTls from(ConfigReader reader, Keys keys) {
        PostgresTls tls = new PostgresTls(reader.get(keys.mode()), reader.get(keys.rootCert()),
                reader.get(keys.cert()), reader.get(keys.key()), reader.get(keys.keyPassword()));
        if (tls.mode() == null) {
            return DEFAULT;
        }
        if (tls.mode().verifies() && tls.rootCert().isBlank() && !reader.hasProblem(keys.rootCert())) {
            reader.problem(keys.mode().name(), tls.mode().id(), "it needs " + keys.rootCert().name()
                    + ", the CA file that signed the server's certificate");
        }
        if (tls.cert().isBlank() != tls.key().isBlank()) {
            reader.problem(tls.cert().isBlank() ? keys.cert().name() : keys.key().name(), null,
                    "must be set with " + (tls.cert().isBlank() ? keys.key().name() : keys.cert().name())
                            + " (a client certificate needs its key)");
        }
        readable(reader, keys.rootCert(), tls.rootCert());
        readable(reader, keys.cert(), tls.cert());
        if (readable(reader, keys.key(), tls.key()) && isPem(Path.of(tls.key()))) {
            reader.problem(keys.key().name(), tls.key(), "it is a PEM file, which the PostgreSQL JDBC driver does"
                    + " not read: give the key as PKCS-8 DER (openssl pkcs8 -topk8 -outform DER -nocrypt -in "
                    + tls.key() + " -out client.pk8) or PKCS-12 (.p12)");
        }
        return tls;
    }

    /**
     * Whether the file starts as PEM does. pgjdbc 42.7 reads a client key as PKCS-8 DER, or PKCS-12 by its
     * {@code .p12}/{@code .pfx} name; handed the PEM file openssl writes first, it fails at the first connection
     * with "Could not read SSL key file ... extra data at the end".
     */
    private static boolean isPem(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] start = in.readNBytes(PEM_START.length);
            return Arrays.equals(start, PEM_START);
        } catch (IOException e) {
            return false;
        }
    }

    /** @return whether a file is named and can be read; a named file that cannot be read is a problem */
    private static boolean readable(ConfigReader reader, ConfigKey<String> key, String file) {
        if (file.isBlank()) {
            return false;
        }
        if (!Files.isReadable(Path.of(file))) {
            reader.problem(key.name(), file, "the file cannot be read");
            return false;
        }
        return true;
    }

    /** Sets the driver's {@code ssl*} connection properties. */
    public void applyTo(Properties jdbc) {
        jdbcProperties().forEach(jdbc::setProperty);
    }

    /** The driver's {@code ssl*} connection properties. */
    public Map<String, String> jdbcProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("sslmode", mode.id());
        put(p, "sslrootcert", rootCert);
        put(p, "sslcert", cert);
        put(p, "sslkey", key);
        put(p, "sslpassword", keyPassword);
        return p;
    }

    /**
     * The same settings as Debezium's PostgreSQL connector takes them ({@code database.sslmode} ...), for its
     * replication connection and its own JDBC connections.
     */
    public Map<String, String> debeziumProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        jdbcProperties().forEach((k, v) -> p.put("database." + k, v));
        return p;
    }

    private static void put(Map<String, String> p, String name, String value) {
        if (!value.isBlank()) {
            p.put(name, value);
        }
    }

    @Override
    public String toString() {
        return "PostgresTls[sslmode=" + mode.id() + ", sslrootcert=" + rootCert + ", sslcert=" + cert + ", sslkey="
                + key + ", sslpassword=" + (keyPassword.isEmpty() ? "" : CredentialMask.MASK) + "]";
    }
}
