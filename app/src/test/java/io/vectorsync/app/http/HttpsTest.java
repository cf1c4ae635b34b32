package io.vectorsync.app.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** With a keystore configured the API speaks HTTPS, with the JDK's TLS, and still asks for the token. */
class HttpsTest {
    private static final String PASSWORD = "ks-password";

    @TempDir
    Path dir;

    @Test
    void theApiIsServedOverTlsWithTheKeystoresCertificate() throws Exception {
        Path keystore = dir.resolve("http.p12");
        keytool(keystore);
        HttpConfig config = new HttpConfig("127.0.0.1", 0, "tok", Optional.of(new HttpConfig.Tls(keystore, PASSWORD,
                "PKCS12")), 65_536, 2_000);
        try (HttpApi api = ApiFixture.start(config)) {
            HttpClient client = HttpClient.newBuilder().sslContext(trusting(keystore)).build();
            URI modes = URI.create("https://127.0.0.1:" + api.port() + "/v1/modes");

            assertThat(client.send(HttpRequest.newBuilder(modes).header("Authorization", "Bearer tok").build(),
                    HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("{}");
            assertThat(client.send(HttpRequest.newBuilder(modes).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(401);
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + api.port() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString())).as("plain HTTP is not served").isInstanceOf(Exception.class);
        }
    }

    @Test
    void aWrongKeystorePasswordFailsStartUpWithoutPrintingIt() throws Exception {
        Path keystore = dir.resolve("http.p12");
        keytool(keystore);
        HttpConfig config = new HttpConfig("127.0.0.1", 0, "", Optional.of(new HttpConfig.Tls(keystore,
                "not-the-password", "PKCS12")), 65_536, 2_000);

        assertThatThrownBy(() -> ApiFixture.start(config))
                .hasMessageStartingWith("cannot read the HTTPS keystore " + keystore + " (http.tls.keystore, type"
                        + " PKCS12)")
                .hasMessageNotContaining("not-the-password");
    }

    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /** A self-signed certificate for 127.0.0.1, made by the JDK's keytool. */
    private static void keytool(Path keystore) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "http", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass",
                PASSWORD)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }
}
