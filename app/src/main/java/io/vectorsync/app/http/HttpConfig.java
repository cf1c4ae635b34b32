package io.vectorsync.app.http;

import io.vectorsync.core.config.ConfigKey;
import io.vectorsync.core.config.ConfigReader;

import java.util.List;

/** The service's HTTP server: search API, mode status, dashboard, Prometheus metrics and health. */
public record HttpConfig(String host, int port) {

    public static final ConfigKey<String> HOST = ConfigKey.string("http.host", "127.0.0.1",
            "Address the HTTP server binds; 0.0.0.0 to serve other machines (the search API returns documents).");
    public static final ConfigKey<Integer> PORT = ConfigKey.intInRange("http.port", 8080, 0, 65_535,
            "Port of the HTTP server (search API, mode status, dashboard, /metrics, /health); 0 picks a free port.");
    public static final List<ConfigKey<?>> KEYS = List.of(HOST, PORT);

    public static HttpConfig from(ConfigReader reader) {
        return new HttpConfig(reader.get(HOST), reader.get(PORT));
    }
}
