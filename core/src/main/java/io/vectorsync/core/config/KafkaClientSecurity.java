package io.vectorsync.core.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The security properties every Kafka client of vectorsync gets (connector, its offset store and schema history,
 * streams, sinks, admin, followers, CLI): Kafka's own {@code security.protocol}, {@code sasl.*} and {@code ssl.*}
 * client properties, configured once as {@code kafka.client.<property>} and passed through unchanged. They are
 * checked when the configuration is read, so a typo fails the start-up naming the key instead of a client timing
 * out against a broker that drops the connection.
 *
 * @param properties the client properties without the prefix, e.g. {@code security.protocol -> SASL_SSL}
 */
public record KafkaClientSecurity(Map<String, String> properties) {
    public static final String PREFIX = "kafka.client.";
    public static final KafkaClientSecurity NONE = new KafkaClientSecurity(Map.of());

    public static final ConfigKey<String> KEY = new ConfigKey<>(PREFIX + "<property>", "",
            "Kafka client security, passed to every Kafka client vectorsync opens (connector and its offset store,"
                    + " streams, sinks, admin, lag monitor, status followers, CLI): security.protocol"
                    + " (PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL), sasl.mechanism, sasl.jaas.config and ssl.*,"
                    + " e.g. kafka.client.security.protocol=SASL_SSL. Checked at start-up: a SASL protocol needs"
                    + " sasl.mechanism and sasl.jaas.config, a trust or key store file must exist. sasl.jaas.config,"
                    + " ssl.keystore.key and every *password* property are secrets, masked in every output. See"
                    + " README 'Security'.", false, s -> s);

    private static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    private static final Set<String> STORE_TYPES = Set.of("JKS", "PKCS12", "PEM");
    /** The login module each well-known mechanism needs; a jaas config naming another fails only at connect. */
    private static final Map<String, String> LOGIN_MODULES = Map.of(
            "PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule",
            "SCRAM-SHA-256", "org.apache.kafka.common.security.scram.ScramLoginModule",
            "SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule",
            "OAUTHBEARER", "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule");

    public KafkaClientSecurity {
        properties = Collections.unmodifiableMap(new TreeMap<>(properties));
    }

    /** Reads every {@code kafka.client.*} key and records a problem, naming the key, for each thing wrong. */
    public static KafkaClientSecurity from(ConfigReader reader) {
        Map<String, String> props = new LinkedHashMap<>();
        for (String property : reader.keysUnder(PREFIX)) {
            ConfigKey<String> key = key(property);
            String value = reader.get(key).trim();
            if (!property.equals("security.protocol") && !property.startsWith("sasl.")
                    && !property.startsWith("ssl.")) {
                reader.problem(key.name(), null, "is not a Kafka client security property: only"
                        + " kafka.client.security.protocol, kafka.client.sasl.* and kafka.client.ssl.* are passed on");
                continue;
            }
            if (!value.isEmpty()) {
                props.put(property, value);
            }
        }
        KafkaClientSecurity security = new KafkaClientSecurity(props);
        security.problems().forEach(p -> reader.problem(p.key(), p.value(), p.message()));
        return security;
    }

    /** The declared key of one property, secret when the property holds a password, a private key or a login. */
    public static ConfigKey<String> key(String property) {
        return new ConfigKey<>(PREFIX + property, "", KEY.description(), isSecret(property), s -> s);
    }

    public static boolean isSecret(String property) {
        String p = property.toLowerCase(Locale.ROOT);
        return p.equals("sasl.jaas.config") || p.contains("password") || p.equals("ssl.keystore.key");
    }

    /** {@code PLAINTEXT} when not configured, as Kafka's clients default. */
    public String protocol() {
        return properties.getOrDefault("security.protocol", "PLAINTEXT").toUpperCase(Locale.ROOT);
    }

    public boolean sasl() {
        return protocol().startsWith("SASL_");
    }

    public boolean tls() {
        return protocol().endsWith("SSL");
    }

    /**
     * The principal a SASL/PLAIN or SCRAM login names ({@code username="..."} in the jaas config), for messages;
     * empty when it cannot be told from the configuration (TLS client certificates, OAuth, Kerberos).
     */
    public String username() {
        Matcher m = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"").matcher(properties.getOrDefault(
                "sasl.jaas.config", ""));
        return sasl() && m.find() ? m.group(1) : "";
    }

    /** Every thing wrong with the combination of properties, each naming its key. */
    List<ConfigProblem> problems() {
        List<ConfigProblem> problems = new ArrayList<>();
        String protocol = properties.get("security.protocol");
        if (protocol != null && !PROTOCOLS.contains(protocol.toUpperCase(Locale.ROOT))) {
            problems.add(new ConfigProblem(PREFIX + "security.protocol", protocol,
                    "it must be one of " + new java.util.TreeSet<>(PROTOCOLS)));
            return problems;
        }
        String mechanism = properties.get("sasl.mechanism");
        String jaas = properties.get("sasl.jaas.config");
        if (sasl()) {
            if (mechanism == null) {
                problems.add(new ConfigProblem(PREFIX + "sasl.mechanism", null, "is required when "
                        + PREFIX + "security.protocol is " + protocol() + " (e.g. SCRAM-SHA-512, PLAIN,"
                        + " OAUTHBEARER); Kafka would otherwise try Kerberos (GSSAPI)"));
            }
            if (jaas == null && !"GSSAPI".equalsIgnoreCase(mechanism)) {
                problems.add(new ConfigProblem(PREFIX + "sasl.jaas.config", null, "is required when "
                        + PREFIX + "security.protocol is " + protocol() + ", e.g."
                        + " org.apache.kafka.common.security.scram.ScramLoginModule required username=\"...\""
                        + " password=\"...\";"));
            }
            if (jaas != null) {
                String module = mechanism == null ? null : LOGIN_MODULES.get(mechanism.toUpperCase(Locale.ROOT));
                if (module != null && !jaas.contains(module)) {
                    problems.add(new ConfigProblem(PREFIX + "sasl.jaas.config", SecretMask.MASK,
                            "sasl.mechanism " + mechanism + " needs the login module " + module));
                }
                if (!jaas.trim().endsWith(";")) {
                    problems.add(new ConfigProblem(PREFIX + "sasl.jaas.config", SecretMask.MASK,
                            "it must end with ';' (JAAS syntax)"));
                }
            }
        } else {
            properties.keySet().stream().filter(k -> k.startsWith("sasl.")).forEach(k -> problems.add(
                    new ConfigProblem(PREFIX + k, null, "has no effect: " + PREFIX + "security.protocol is "
                            + protocol() + ", not SASL_SSL or SASL_PLAINTEXT")));
        }
        if (!tls()) {
            properties.keySet().stream().filter(k -> k.startsWith("ssl.")).forEach(k -> problems.add(
                    new ConfigProblem(PREFIX + k, null, "has no effect: " + PREFIX + "security.protocol is "
                            + protocol() + ", not SSL or SASL_SSL")));
        } else {
            for (String store : List.of("truststore", "keystore")) {
                String type = properties.get("ssl." + store + ".type");
                if (type != null && !STORE_TYPES.contains(type.toUpperCase(Locale.ROOT))) {
                    problems.add(new ConfigProblem(PREFIX + "ssl." + store + ".type", type,
                            "it must be one of " + new java.util.TreeSet<>(STORE_TYPES)));
                }
                String location = properties.get("ssl." + store + ".location");
                if (location != null && !Files.isReadable(Path.of(location))) {
                    problems.add(new ConfigProblem(PREFIX + "ssl." + store + ".location", location,
                            "no readable file is there"));
                }
            }
        }
        return problems;
    }

    /** The properties as a client takes them. */
    public Map<String, Object> clientProperties() {
        return new LinkedHashMap<>(properties);
    }
}
