package io.vectorsync.app;

import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.config.AppConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.vectorsync.app.DeployFilesTest.COMPOSE_REQUIRED;
import static io.vectorsync.app.DeployFilesTest.ENV_REFERENCE;
import static io.vectorsync.app.DeployFilesTest.ROOT;
import static io.vectorsync.app.DeployFilesTest.SECRET_NAME;
import static io.vectorsync.app.DeployFilesTest.list;
import static io.vectorsync.app.DeployFilesTest.map;
import static io.vectorsync.app.DeployFilesTest.properties;
import static io.vectorsync.app.DeployFilesTest.string;
import static io.vectorsync.app.DeployFilesTest.yaml;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deploy/compose.secure.yml} laid over {@code docker-compose.yml} as compose merges them (maps by key, volume
 * lists appended, the rest replaced): Kafka only over SASL_SSL with SCRAM and ACLs, PostgreSQL only over TLS with
 * vectorsync verifying it, the API token from the environment; every variable it reads is in the env example, every
 * file it mounts exists or is made by {@code deploy/tls/make-certs.sh}. There is no Docker engine here: what compose
 * would do is not tested, what can be read from the files is.
 */
class SecureComposeFileTest {
    private static final Pattern COMPOSE_VARIABLE = Pattern.compile("\\$\\{([A-Z_][A-Z0-9_]*):\\?");
    private static final String CA = "/etc/vectorsync/tls/ca.crt";
    /**
     * The one variable named like a secret that may be written in: the broker's server-side SCRAM login module,
     * which holds no credential (SCRAM credentials live in the cluster's metadata, put there by kafka-init).
     */
    private static final String BROKER_JAAS = "KAFKA_LISTENER_NAME_SASL__SSL_SCRAM___SHA___512_SASL_JAAS_CONFIG";

    @TempDir
    Path tmp;

    @Test
    void vectorsyncConnectsOverSaslSslAndVerifyFullWithItsSecretsFromTheEnvironment() throws IOException {
        Map<String, Object> vectorsync = map(services().get("vectorsync"));
        Map<String, String> config = new LinkedHashMap<>(properties(Files.readString(
                ROOT.resolve("deploy/vectorsync/vectorsync.properties"))));
        config.putAll(properties(Files.readString(ROOT.resolve("deploy/vectorsync/vectorsync.secure.properties"))));
        assertThat(mountTargets(vectorsync)).contains("/etc/vectorsync/config/vectorsync.secure.properties", CA);
        assertThat("vectorsync.secure.properties".compareTo("vectorsync.properties")).as("read after"
                + " vectorsync.properties: the entrypoint merges in name order").isPositive();
        Map<String, String> env = new HashMap<>();
        map(vectorsync.get("environment")).keySet().forEach(name -> env.put(name, "from-the-environment"));
        config.forEach((key, value) -> {
            Matcher reference = ENV_REFERENCE.matcher(value);
            while (reference.find()) {
                assertThat(env).as("%s reads ${env:%s}", key, reference.group(1)).containsKey(reference.group(1));
            }
        });
        Path standIn = Files.writeString(tmp.resolve("ca.crt"), "pem");
        config.replaceAll((key, value) -> value.equals(CA) ? standIn.toString() : value);

        AppConfig loaded = AppConfigLoader.load(config, false, env);

        assertThat(loaded.kafka().clientProperties()).containsEntry("bootstrap.servers", "kafka:9094")
                .containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.location", standIn.toString())
                .hasEntrySatisfying("sasl.jaas.config", v -> assertThat(String.valueOf(v))
                        .contains("username=\"vectorsync\"", "password=\"from-the-environment\""));
        assertThat(config).containsEntry("source.sslmode", "verify-full")
                .containsEntry("sink.pgvector.sslmode", "verify-full");
        assertThat(loaded.source().tls().rootCert()).isEqualTo(standIn.toString());
        assertThat(loaded.http().token()).isEqualTo("from-the-environment");
        assertThat(map(vectorsync.get("depends_on"))).containsEntry("kafka-init",
                Map.of("condition", "service_completed_successfully"));
    }

    @Test
    void kafkaServesClientsOnlyOverSaslSslWithScramAndAclsAndKafkaInitMakesTheUsers() throws IOException {
        Map<String, Object> services = services();
        Map<String, Object> kafka = map(map(services.get("kafka")).get("environment"));
        assertThat(kafka).containsEntry("KAFKA_ADVERTISED_LISTENERS", "SASL_SSL://kafka:9094,PLAINTEXT://127.0.0.1:9092")
                .containsEntry("KAFKA_SASL_ENABLED_MECHANISMS", "SCRAM-SHA-512")
                .containsEntry("KAFKA_AUTHORIZER_CLASS_NAME",
                        "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                .containsEntry("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND", "false")
                .containsEntry("KAFKA_SSL_KEYSTORE_TYPE", "PEM");
        for (String listener : string(kafka.get("KAFKA_LISTENERS")).split(",")) {
            assertThat(listener).as("only SASL_SSL listens beyond the container's loopback")
                    .matches("SASL_SSL://:9094|[A-Z]+://127\\.0\\.0\\.1:\\d+");
        }
        assertThat(mountTargets(map(services.get("kafka")))).contains(string(kafka.get("KAFKA_SSL_KEYSTORE_LOCATION")));

        Map<String, Object> init = map(services.get("kafka-init"));
        assertThat(init).containsEntry("network_mode", "service:kafka");
        String script = list(init.get("command")).get(1).toString();
        assertThat(mountTargets(init)).contains(script);
        String initScript = Files.readString(ROOT.resolve("deploy/kafka/init-secure.sh"));
        assertThat(initScript).contains("--entity-name vectorsync", "--entity-name operator", "SCRAM-SHA-512=",
                "--deny-principal \"$service\" --operation Write --topic vectorsync.control",
                "--topic vectorsync.control.operator");
        assertThat(ROOT.resolve("deploy/kafka/init-secure.sh")).isRegularFile();
    }

    @Test
    void postgresAcceptsTcpOnlyOverTls() throws IOException {
        Map<String, Object> postgres = map(services().get("postgres"));
        List<Object> command = list(postgres.get("command"));
        assertThat(command).contains("ssl=on", "wal_level=logical", "hba_file=/etc/postgresql-tls/pg_hba.conf");
        assertThat(mountTargets(postgres)).contains("/etc/postgresql-tls/pg_hba.conf",
                "/etc/postgresql-tls/postgres.crt", "/etc/postgresql-tls/postgres.key");
        List<String> rules = Files.readAllLines(ROOT.resolve("deploy/postgres/pg_hba.secure.conf")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertThat(rules).allSatisfy(rule -> assertThat(rule).matches("(local|hostssl)\\s.*"))
                .anySatisfy(rule -> assertThat(rule).matches("hostssl\\s+replication\\s.*scram-sha-256"));
    }

    @Test
    void everyVariableItReadsIsInTheEnvExampleEveryFileItMountsIsThereOrMadeAndNoSecretIsWrittenIn()
            throws IOException {
        String secure = Files.readString(ROOT.resolve("deploy/compose.secure.yml"));
        Set<String> example = new TreeSet<>();
        for (String line : Files.readAllLines(ROOT.resolve("deploy/compose.env.example"))) {
            if (!line.startsWith("#") && line.contains("=")) {
                assertThat(line).as("no value in the example").endsWith("=");
                example.add(line.substring(0, line.indexOf('=')));
            }
        }
        Matcher variable = COMPOSE_VARIABLE.matcher(secure + Files.readString(ROOT.resolve("docker-compose.yml")));
        Set<String> read = new TreeSet<>();
        while (variable.find()) {
            read.add(variable.group(1));
        }
        assertThat(read).contains("VS_KAFKA_PASSWORD", "VS_KAFKA_OPERATOR_PASSWORD", "VECTORSYNC_HTTP_TOKEN");
        assertThat(example).containsAll(read);

        String makeCerts = Files.readString(ROOT.resolve("deploy/tls/make-certs.sh"));
        List<String> made = new ArrayList<>();
        Map<String, Object> secureServices = map(yaml(ROOT.resolve("deploy/compose.secure.yml")).get("services"));
        for (Map.Entry<String, Object> service : services().entrySet()) {
            for (String source : mountSources(map(service.getValue()))) {
                if (source.startsWith("./deploy/tls/")) {
                    String file = source.substring("./deploy/tls/".length());
                    assertThat(makeCerts).as("make-certs.sh makes %s", file).contains(file);
                    made.add(file);
                } else if (source.startsWith("./")) {
                    assertThat(ROOT.resolve(source)).as("%s mounts %s", service.getKey(), source).exists();
                }
            }
            Object env = map(service.getValue()).get("environment");
            if (secureServices.containsKey(service.getKey())) {
                map(env == null ? Map.of() : env).forEach((name, value) -> {
                    if (name.equals(BROKER_JAAS)) {
                        assertThat(string(value)).as(name).doesNotContainIgnoringCase("password")
                                .doesNotContain("username");
                    } else {
                        // A key store's type and location (KAFKA_SSL_KEYSTORE_*) are no key.
                        assertThat(!SECRET_NAME.matcher(name.replace("KEYSTORE", "")).find()
                                || COMPOSE_REQUIRED.matcher(string(value)).matches())
                                .as("%s %s comes from the environment", service.getKey(), name).isTrue();
                    }
                });
            }
        }
        assertThat(made).contains("ca.crt", "postgres.key", "kafka.pem");
        assertThat(Files.readAllLines(ROOT.resolve("deploy/tls/.gitignore"))).contains("*", "!make-certs.sh");
        assertThat(ROOT.resolve("deploy/tls/make-certs.sh")).isExecutable();
    }

    /** docker-compose.yml with deploy/compose.secure.yml laid over it, as {@code docker compose -f a -f b} does. */
    private static Map<String, Object> services() throws IOException {
        Map<String, Object> merged = new LinkedHashMap<>(map(yaml(ROOT.resolve("docker-compose.yml")).get("services")));
        map(yaml(ROOT.resolve("deploy/compose.secure.yml")).get("services")).forEach((name, override) -> {
            Map<String, Object> service = new LinkedHashMap<>();
            if (merged.containsKey(name)) {
                service.putAll(map(merged.get(name)));
            }
            map(override).forEach((key, value) -> service.merge(key, value, SecureComposeFileTest::mergeValue));
            merged.put(name, service);
        });
        return merged;
    }

    private static Object mergeValue(Object base, Object override) {
        if (base instanceof Map<?, ?> && override instanceof Map<?, ?>) {
            Map<String, Object> m = new LinkedHashMap<>(map(base));
            m.putAll(map(override));
            return m;
        }
        if (base instanceof List<?> && override instanceof Map<?, ?> o) { // depends_on: a list, then a map
            Map<String, Object> m = new LinkedHashMap<>();
            list(base).forEach(name -> m.put(string(name), Map.of("condition", "service_started")));
            o.forEach((k, v) -> m.put(string(k), v));
            return m;
        }
        if (base instanceof List<?> && override instanceof List<?> && list(base).stream()
                .allMatch(v -> string(v).contains(":/"))) { // volumes: appended
            List<Object> l = new ArrayList<>(list(base));
            l.addAll(list(override));
            return l;
        }
        return override;
    }

    private static List<String> mountSources(Map<String, Object> service) {
        Object volumes = service.get("volumes");
        return volumes == null ? List.of() : list(volumes).stream().map(v -> string(v).split(":")[0]).toList();
    }

    private static List<String> mountTargets(Map<String, Object> service) {
        Object volumes = service.get("volumes");
        return volumes == null ? List.of() : list(volumes).stream().map(v -> string(v).split(":")[1]).toList();
    }
}
