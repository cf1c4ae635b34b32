package io.vectorsync.app.http;

import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.config.AppConfigLoader;
import io.vectorsync.core.config.ConfigException;
import io.vectorsync.core.config.ConfigReader;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The service refuses to start serving other machines without a token, and never prints the token. */
class HttpConfigTest {

    @Test
    void bindingANonLoopbackAddressWithoutATokenRefusesStartUpNamingBothKeys() {
        assertThatThrownBy(() -> AppConfigLoader.load(config(Map.of("http.host", "0.0.0.0")), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'http.host' was '0.0.0.0' but it is not a loopback address, and http.token is"
                        + " not set: set http.token");
        assertThatThrownBy(() -> AppConfigLoader.load(config(Map.of("http.host", "10.1.2.3",
                "http.token", "  ")), false)).hasMessageContaining("http.token is not set");
    }

    @Test
    void loopbackAddressesNeedNoToken() {
        for (String host : new String[] {"127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"}) {
            assertThat(HttpConfig.isLoopback(host)).as(host).isTrue();
        }
        for (String host : new String[] {"0.0.0.0", "::", "10.0.0.1", "vectorsync", "cafe", "example.com"}) {
            assertThat(HttpConfig.isLoopback(host)).as(host).isFalse();
        }
        assertThat(AppConfigLoader.load(config(Map.of()), false).http().requiresToken()).isFalse();
    }

    @Test
    void withATokenAnyAddressIsAcceptedAndTheTokenIsMaskedEverywhere() {
        AppConfig config = AppConfigLoader.load(config(Map.of("http.host", "0.0.0.0",
                "http.token", "s3cret-token")), false);

        assertThat(config.http().requiresToken()).isTrue();
        assertThat(config.effective()).containsEntry("http.token", "****");
        assertThat(config.http().toString()).doesNotContain("s3cret-token");
        assertThat(config.secretMask().apply("echoed s3cret-token")).isEqualTo("echoed ****");
    }

    @Test
    void aKeystoreNeedsItsPasswordWhichIsMasked() {
        ConfigReader reader = new ConfigReader(Map.of("http.tls.keystore", "/etc/vs/http.p12"));
        HttpConfig.from(reader);
        assertThat(reader.problems()).extracting(Object::toString).containsExactly(
                "'http.tls.keystore.password' is required when http.tls.keystore is set");

        AppConfig config = AppConfigLoader.load(config(Map.of("http.tls.keystore", "/etc/vs/http.p12",
                "http.tls.keystore.password", "ks-pw")), false);
        assertThat(config.http().tls()).hasValueSatisfying(tls -> assertThat(tls.type()).isEqualTo("PKCS12"));
        assertThat(config.effective()).containsEntry("http.tls.keystore.password", "****");
        assertThat(config.http().toString()).doesNotContain("ks-pw");
        assertThat(config.secretMask().apply("ks-pw")).isEqualTo("****");
    }

    private static Map<String, String> config(Map<String, String> http) {
        Map<String, String> raw = new HashMap<>(Map.of(
                "collections.docs.table", "public.docs",
                "collections.docs.id", "id",
                "collections.docs.template", "{body}"));
        raw.putAll(http);
        return raw;
    }
}
