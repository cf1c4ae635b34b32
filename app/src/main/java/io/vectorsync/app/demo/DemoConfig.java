package io.vectorsync.app.demo;

import io.vectorsync.app.config.AppConfigLoader;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The raw configuration of the demo and the bench: the built-in {@value #RESOURCE} or a file, plus overrides. */
public final class DemoConfig {
    public static final String RESOURCE = "/demo/demo.properties";

    private DemoConfig() {
    }

    /** @param file a configuration file, or null for the built-in demo configuration */
    public static Map<String, String> raw(Path file, Map<String, String> overrides) {
        Map<String, String> raw = new LinkedHashMap<>(file == null ? builtIn() : AppConfigLoader.read(file));
        raw.putAll(overrides);
        return raw;
    }

    public static Map<String, String> builtIn() {
        try (InputStream in = DemoConfig.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the build");
            }
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                return AppConfigLoader.read(reader);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + RESOURCE, e);
        }
    }
}
