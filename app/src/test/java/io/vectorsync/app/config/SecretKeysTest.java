package io.vectorsync.app.config;

import io.vectorsync.core.config.ConfigKey;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which keys are secret is declared on the key, once; masking everywhere follows the flag. So a new key whose name
 * says it holds a secret cannot be added without the flag.
 */
class SecretKeysTest {
    /** A name part that says "secret": password, token, secret, jaas, credential, or a key (api key, ...). */
    private static final Pattern LOOKS_SECRET =
            Pattern.compile("passw(or)?d|pwd|token|secret|jaas|credential|.*key");

    /** Names that look secret but hold none, each with why. */
    private static final Map<String, String> NOT_SECRETS = Map.of(
            "source.sslkey", "the path of the client key file, not the key",
            "sink.pgvector.sslkey", "the path of the client key file, not the key");

    @Test
    void everyKeyWhoseNameLooksSecretIsDeclaredSecret() {
        List<String> undeclared = ConfigKeys.all().stream()
                .filter(k -> !k.secret() && looksSecret(k.name()) && !NOT_SECRETS.containsKey(k.name()))
                .map(ConfigKey::name).toList();

        assertThat(undeclared).as("keys whose names look secret but are not declared with ConfigKey.secret(...)")
                .isEmpty();
    }

    @Test
    void theRuleCatchesTheNamesItIsFor() {
        assertThat(List.of("source.password", "sink.milvus.token", "embedding.openai.api.key",
                "embedding.openai.apikey", "kafka.sasl.jaas.config", "http.auth.secret", "source.sslpassword"))
                .allMatch(SecretKeysTest::looksSecret);
        assertThat(List.of("source.host", "collections.<name>.id", "kafka.topic.prefix", "sink.pgvector.table"))
                .noneMatch(SecretKeysTest::looksSecret);
    }

    @Test
    void theSecretFlagIsWhatTheMaskHides() {
        Map<String, String> raw = new java.util.HashMap<>(Map.of(
                "collections.docs.table", "public.docs",
                "collections.docs.id", "id",
                "collections.docs.template", "{body}"));
        List<ConfigKey<?>> secrets = ConfigKeys.all().stream().filter(ConfigKey::secret)
                .filter(k -> !k.name().contains("<name>")).toList();
        secrets.forEach(k -> raw.put(k.name(), "value-of-" + k.name()));

        AppConfig config = AppConfigLoader.load(raw, false);

        assertThat(secrets).isNotEmpty();
        for (ConfigKey<?> k : secrets) {
            assertThat(config.secretMask().apply("said value-of-" + k.name())).as(k.name()).isEqualTo("said ****");
            assertThat(config.effective()).containsEntry(k.name(), "****");
        }
    }

    private static boolean looksSecret(String name) {
        return Arrays.stream(name.toLowerCase(Locale.ROOT).split("[._<>-]+"))
                .anyMatch(part -> LOOKS_SECRET.matcher(part).matches() || part.contains("password"));
    }
}
