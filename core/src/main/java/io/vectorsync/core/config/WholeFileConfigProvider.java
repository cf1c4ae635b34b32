package io.vectorsync.core.config;

import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.provider.ConfigProvider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A Kafka {@link ConfigProvider} for {@code ${file:/path}}: the variable is a file's path and its value the file's
 * whole content, less one final newline (as a mounted Secret or {@code echo pw > file} leaves it). Kafka's own
 * {@code FileConfigProvider} reads one key of a properties file instead, and {@code DirectoryConfigProvider} wants
 * {@code ${dir:/dir:file}}; a whole file named by its path is what compose and Kubernetes secrets give. A file that
 * cannot be read is left out of the answer (never an exception carrying its content), so the caller names it.
 */
final class WholeFileConfigProvider implements ConfigProvider {

    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public ConfigData get(String path) {
        return new ConfigData(Map.of());
    }

    @Override
    public ConfigData get(String path, Set<String> files) {
        Map<String, String> data = new LinkedHashMap<>();
        for (String file : files) {
            String content = read(file);
            if (content != null) {
                data.put(file, content);
            }
        }
        return new ConfigData(data);
    }

    /** The content, or null when the file cannot be read. */
    static String read(String file) {
        try {
            String text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
            if (text.endsWith("\r\n")) {
                return text.substring(0, text.length() - 2);
            }
            return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void close() {
    }
}
