package io.vectorsync.app.http;

import io.vectorsync.core.config.ConfigKey;
import io.vectorsync.core.config.ConfigReader;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The service's HTTP server: search API, mode status, dashboard, Prometheus metrics and health.
 *
 * @param token          the bearer token every request but {@code /health} and the dashboard's static files must
 *                       carry; empty for none, which is allowed only on a loopback address
 * @param tls            the keystore to serve HTTPS with, if any
 * @param maxRequestBytes the largest request body accepted (413 above it)
 * @param maxQueryChars  the longest search text accepted (400 above it)
 */
public record HttpConfig(String host, int port, String token, Optional<Tls> tls, int maxRequestBytes,
                         int maxQueryChars) {

    public static final ConfigKey<String> HOST = ConfigKey.string("http.host", "127.0.0.1",
            "Address the HTTP server binds; 0.0.0.0 to serve other machines (the search API returns documents)."
                    + " Any address but a loopback one requires http.token.");
    public static final ConfigKey<Integer> PORT = ConfigKey.intInRange("http.port", 8080, 0, 65_535,
            "Port of the HTTP server: /health and /metrics in every process, and with the streams role the search"
                    + " API, mode status and dashboard; 0 picks a free port.");
    public static final ConfigKey<String> TOKEN = ConfigKey.secret("http.token",
            "Bearer token every request must carry (Authorization: Bearer <token>), except /health and the"
                    + " dashboard's static files; required when http.host is not a loopback address.");
    public static final ConfigKey<String> TLS_KEYSTORE = ConfigKey.optionalString("http.tls.keystore",
            "Keystore file (certificate and private key) to serve HTTPS with; empty serves plain HTTP.");
    public static final ConfigKey<String> TLS_KEYSTORE_PASSWORD = ConfigKey.secret("http.tls.keystore.password",
            "Password of http.tls.keystore and of its key.");
    public static final ConfigKey<String> TLS_KEYSTORE_TYPE = ConfigKey.string("http.tls.keystore.type", "PKCS12",
            "Type of http.tls.keystore: PKCS12 or JKS.");
    public static final ConfigKey<Integer> MAX_REQUEST_BYTES = ConfigKey.positiveInt("http.max.request.bytes",
            65_536, "Largest request body accepted, in bytes; a larger one is answered 413.");
    public static final ConfigKey<Integer> MAX_QUERY_CHARS = ConfigKey.positiveInt("http.max.query.chars", 2_000,
            "Longest search text (q) accepted, in characters; a longer one is answered 400.");
    public static final List<ConfigKey<?>> KEYS = List.of(HOST, PORT, TOKEN, TLS_KEYSTORE, TLS_KEYSTORE_PASSWORD,
            TLS_KEYSTORE_TYPE, MAX_REQUEST_BYTES, MAX_QUERY_CHARS);

    /** HTTPS with this keystore. */
    public record Tls(Path keystore, String password, String type) {
        @Override
        public String toString() {
            return "Tls[keystore=" + keystore + ", type=" + type + "]";
        }
    }

    public HttpConfig {
        token = token == null ? "" : token;
    }

    /** Plain HTTP without a token and with the default limits: for tests and tools on loopback. */
    public HttpConfig(String host, int port) {
        this(host, port, "", Optional.empty(), 65_536, 2_000);
    }

    public boolean requiresToken() {
        return !token.isEmpty();
    }

    @Override
    public String toString() {
        return "HttpConfig[host=" + host + ", port=" + port + ", token=" + (token.isEmpty() ? "none" : "****")
                + ", tls=" + tls + ", maxRequestBytes=" + maxRequestBytes + ", maxQueryChars=" + maxQueryChars + "]";
    }

    public static HttpConfig from(ConfigReader reader) {
        String host = reader.get(HOST);
        String token = reader.get(TOKEN).trim();
        if (host != null && !reader.hasProblem(HOST) && token.isEmpty() && !isLoopback(host)) {
            reader.problem(HOST.name(), host, "it is not a loopback address, and " + TOKEN.name() + " is not set:"
                    + " set " + TOKEN.name() + " (say from the environment) so that only its holders can search and"
                    + " read the dashboard, or bind " + HOST.name() + " to 127.0.0.1");
        }
        String keystore = reader.get(TLS_KEYSTORE).trim();
        String password = reader.get(TLS_KEYSTORE_PASSWORD);
        String type = reader.get(TLS_KEYSTORE_TYPE);
        Optional<Tls> tls = Optional.empty();
        if (!keystore.isEmpty()) {
            if (password.isEmpty()) {
                reader.problem(TLS_KEYSTORE_PASSWORD.name(), null, "is required when " + TLS_KEYSTORE.name()
                        + " is set");
            }
            tls = Optional.of(new Tls(Path.of(keystore), password, type));
        }
        return new HttpConfig(host, reader.get(PORT), token, tls, reader.get(MAX_REQUEST_BYTES),
                reader.get(MAX_QUERY_CHARS));
    }

    /** Whether only this machine can reach {@code host}; a name other than localhost is never looked up. */
    static boolean isLoopback(String host) {
        String h = host.trim();
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!h.matches("[0-9A-Fa-f:.\\[\\]]+") || !(h.contains(".") || h.contains(":"))) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
