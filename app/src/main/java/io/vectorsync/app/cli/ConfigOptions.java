package io.vectorsync.app.cli;

import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.config.AppConfigLoader;
import io.vectorsync.app.logging.SecretMaskingConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --config FILE} and {@code --set key=value} overrides, shared by the commands that run the pipeline. */
public final class ConfigOptions {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigOptions.class);

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "Configuration file (Java properties; see `vectorsync config reference`).")
    Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one key of the file; repeatable.")
    Map<String, String> overrides = new LinkedHashMap<>();

    /** Loads, validates (against the source database when {@code checkSource}) and logs the masked config. */
    public AppConfig load(boolean checkSource) {
        Map<String, String> raw = new LinkedHashMap<>(AppConfigLoader.read(file));
        raw.putAll(overrides);
        AppConfig config = AppConfigLoader.load(raw, checkSource);
        SecretMaskingConverter.use(config.secretMask());
        LOG.info("effective configuration (secrets masked): {}", config.effective());
        return config;
    }
}
