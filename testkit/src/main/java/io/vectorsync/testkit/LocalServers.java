package io.vectorsync.testkit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * JUnit extension giving tests the real local servers (PostgreSQL with pgvector, Kafka, Neo4j, Milvus), started once
 * per JVM through {@code scripts/services.sh up --profile test}: quick when the test script already started them.
 * Servers stay up after the tests; {@code scripts/test.sh} stops them at the end of the run.
 *
 * <pre>{@code @ExtendWith(LocalServers.class) class FooIT { static Services servers = LocalServers.get(); }}</pre>
 */
public final class LocalServers implements BeforeAllCallback {
    private static Services services;

    @Override
    public void beforeAll(ExtensionContext context) {
        get();
    }

    public static synchronized Services get() {
        if (services == null) {
            services = start();
        }
        return services;
    }

    /** The repository root: the nearest parent of the working directory holding {@code scripts/services.sh}. */
    public static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("scripts/services.sh"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("scripts/services.sh not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /**
     * Runs {@code scripts/services.sh COMMAND --profile test ARGS...}, e.g. {@code ("pause", "--only", "milvus")}.
     *
     * @throws IllegalStateException with the script's output when it fails
     */
    public static void services(String command, String... args) {
        Path root = repoRoot();
        List<String> cmd = new ArrayList<>(List.of("bash", root.resolve("scripts/services.sh").toString(), command,
                "--profile", "test"));
        cmd.addAll(List.of(args));
        try {
            Path log = Files.createTempFile("vectorsync-services", ".log");
            Process p = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd.subList(1, cmd.size())) + " failed:\n"
                        + Files.readString(log));
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run scripts/services.sh " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running scripts/services.sh " + command, e);
        }
    }

    /**
     * The test broker's secured listener and its super user, from the same {@code services.env}.
     *
     * @throws IllegalStateException when the running broker was started before the listener existed
     */
    public static synchronized SecureKafka secureKafka() {
        get();
        try {
            Map<String, String> env = readEnv(runDir(repoRoot()).resolve("services.env"));
            String bootstrap = env.get("VS_KAFKA_SASL_BOOTSTRAP");
            if (bootstrap == null) {
                throw new IllegalStateException("the test Kafka has no SASL_SSL listener: restart it with"
                        + " scripts/services.sh down --profile test --only kafka, then up");
            }
            return new SecureKafka(bootstrap, Path.of(env.get("VS_KAFKA_TRUSTSTORE")), env.get("VS_KAFKA_SASL_ADMIN"),
                    Files.readString(Path.of(env.get("VS_KAFKA_SASL_ADMIN_PASSWORD_FILE"))).trim());
        } catch (IOException e) {
            throw new IllegalStateException("could not read the secured Kafka's settings", e);
        }
    }

    private static Services start() {
        Path root = repoRoot();
        services("up");
        try {
            Map<String, String> env = readEnv(runDir(root).resolve("services.env"));
            return new Services(env.get("VS_PG_HOST"), Integer.parseInt(env.get("VS_PG_PORT")),
                    env.get("VS_KAFKA_BOOTSTRAP"), env.get("VS_NEO4J_URI"), env.get("VS_MILVUS_URI"));
        } catch (IOException e) {
            throw new IllegalStateException("could not read the local servers' addresses", e);
        }
    }

    private static Path runDir(Path root) {
        String override = System.getenv("VS_RUN_DIR");
        return override != null && !override.isBlank() ? Path.of(override) : root.resolve(".run/test");
    }

    private static Map<String, String> readEnv(Path file) throws IOException {
        Map<String, String> env = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("#")) {
                env.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim().replace("\"", ""));
            }
        }
        return env;
    }

    /**
     * The CA file (PEM) that signed the test PostgreSQL's certificate (for {@code sslmode=verify-full}), from the
     * same {@code services.env}.
     *
     * @throws IllegalStateException when the running PostgreSQL was started before it had TLS
     */
    public static synchronized Path pgCaFile() {
        get();
        try {
            String file = readEnv(runDir(repoRoot()).resolve("services.env")).get("VS_PG_SSL_ROOT_CERT");
            if (file == null || !Files.isReadable(Path.of(file))) {
                throw new IllegalStateException("the test PostgreSQL has no TLS: restart it with"
                        + " scripts/services.sh down --profile test --only postgres, then up");
            }
            return Path.of(file);
        } catch (IOException e) {
            throw new IllegalStateException("could not read the local servers' addresses", e);
        }
    }

    /**
     * The role of the test PostgreSQL that may log in only with a client certificate, and that certificate (PEM)
     * and key (PKCS-8 DER), issued by the same CA as the server's ({@code scripts/lib/postgres.sh}).
     */
    public record PgClientCert(String user, Path cert, Path key) {
        /** The same CA's certificate for another name ({@code vs_intruder}): valid, but not this role's. */
        public PgClientCert otherName() {
            return new PgClientCert(user, cert.resolveSibling("vs_intruder.crt"), key.resolveSibling("vs_intruder.pk8"));
        }
    }

    /** @throws IllegalStateException when the running PostgreSQL was started before it had client certificates */
    public static synchronized PgClientCert pgClientCert() {
        get();
        try {
            Map<String, String> env = readEnv(runDir(repoRoot()).resolve("services.env"));
            String user = env.get("VS_PG_CERT_USER");
            String cert = env.get("VS_PG_CLIENT_CERT");
            String key = env.get("VS_PG_CLIENT_KEY");
            if (user == null || cert == null || key == null || !Files.isReadable(Path.of(key))) {
                throw new IllegalStateException("the test PostgreSQL has no client-certificate role: restart it with"
                        + " scripts/services.sh down --profile test --only postgres, then up");
            }
            return new PgClientCert(user, Path.of(cert), Path.of(key));
        } catch (IOException e) {
            throw new IllegalStateException("could not read the local servers' addresses", e);
        }
    }
}
