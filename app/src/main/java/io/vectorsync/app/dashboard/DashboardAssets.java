package io.vectorsync.app.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The dashboard's static files, served from the classpath folder {@code dashboard/}: the page at {@code /} and its
 * script and style sheet. Only these three names are served; nothing is fetched from outside, so the page works
 * offline.
 */
public final class DashboardAssets {
    /** A file to send: its bytes and Content-Type. */
    public record Asset(String contentType, byte[] body) {
    }

    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/dashboard.js", "dashboard.js",
            "/dashboard.css", "dashboard.css");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8");

    private final Map<String, Asset> assets;

    public DashboardAssets() {
        this.assets = FILES.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> load(e.getValue())));
    }

    /** The file served at {@code path}, if it is one of the dashboard's. */
    public Optional<Asset> find(String path) {
        return Optional.ofNullable(assets.get(path));
    }

    private static Asset load(String name) {
        String resource = "dashboard/" + name;
        try (InputStream in = DashboardAssets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard's " + resource + " is missing from the classpath");
            }
            return new Asset(TYPES.get(name.substring(name.lastIndexOf('.') + 1)), in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboard's " + resource, e);
        }
    }
}
