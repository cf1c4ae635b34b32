package io.vectorsync.app.logging;

import io.vectorsync.app.config.ObservabilityConfig;
import org.apache.logging.log4j.core.LoggerContext;

/**
 * Switches the console to JSON lines once the service's configuration is read ({@code log.format=json}), and gives
 * the JSON layout this process's {@code instance.id}. Log4j is configured before any configuration file is read, so
 * the choice is handed over through system properties that {@code log4j2.xml} selects on, and Log4j reconfigures.
 * {@code VECTORSYNC_LOG_FORMAT=json} in the environment selects JSON from the first line instead; either one is
 * enough. The JSON itself is Log4j's {@code JsonTemplateLayout} with the template {@code vectorsync-log.json}: the
 * message and stack trace pass through {@link SecretMaskingConverter}, as in the text format.
 */
public final class LogFormat {
    /** The system property {@code log4j2.xml} selects the JSON layout on. */
    public static final String FORMAT_PROPERTY = "vectorsync.log.format";
    /** The system property the JSON layout reads the {@code instance} field from. */
    public static final String INSTANCE_PROPERTY = "vectorsync.instance";
    /** The environment variable that selects JSON before the configuration is read. */
    public static final String FORMAT_ENV = "VECTORSYNC_LOG_FORMAT";

    private LogFormat() {
    }

    /** For a service about to start: JSON lines when configured or asked for by the environment. */
    public static void apply(ObservabilityConfig config) {
        boolean json = config.logFormat() == ObservabilityConfig.LogFormat.JSON
                || "json".equals(System.getenv(FORMAT_ENV));
        if (!json) {
            return;
        }
        System.setProperty(INSTANCE_PROPERTY, config.instanceId());
        System.setProperty(FORMAT_PROPERTY, "json");
        LoggerContext.getContext(false).reconfigure();
    }
}
