package io.vectorsync.app.config;

import io.vectorsync.core.config.ConfigKey;
import io.vectorsync.core.config.ConfigReader;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How this process is told apart from the other instances of one pipeline, and how it logs.
 *
 * @param instanceId the {@code instance} tag on every meter, the {@code instance} field of JSON log lines and the
 *                   name {@code /health} gives; {@code instance.id}, by default the host name and the process id
 *                   (in Kubernetes the host name is the pod's name), so that dashboards can sum or split by instance
 * @param logFormat  {@code text} (the console pattern) or {@code json} (one JSON object a line, for log pipelines)
 */
public record ObservabilityConfig(String instanceId, LogFormat logFormat) {

    /** What a log line looks like. */
    public enum LogFormat {
        TEXT, JSON;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Safe as a Prometheus label value, a log field and a Kafka client id part; not empty, at most 63 characters. */
    static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    public static final ConfigKey<String> INSTANCE = ConfigKey.optionalString("instance.id",
            "Name of this process among the pipeline's instances: the 'instance' tag on every meter and the"
                    + " 'instance' field of JSON logs. Letters, digits, '.', '_' and '-', at most 63; empty takes the"
                    + " host name and the process id (in Kubernetes the pod's name).");
    public static final ConfigKey<LogFormat> LOG_FORMAT = ConfigKey.enumKey("log.format", LogFormat.TEXT,
            LogFormat.class, LogFormat::id, "text for the console pattern, json for one JSON object a line"
                    + " (timestamp, level, logger, message, instance, and collection, sink and key where known);"
                    + " the environment variable VECTORSYNC_LOG_FORMAT=json turns JSON on before the configuration"
                    + " is read.");
    public static final List<ConfigKey<?>> KEYS = List.of(INSTANCE, LOG_FORMAT);

    public static ObservabilityConfig from(ConfigReader reader) {
        String id = reader.get(INSTANCE).trim();
        if (id.isEmpty()) {
            id = defaultInstanceId();
        } else if (!INSTANCE_ID.matcher(id).matches()) {
            reader.problem(INSTANCE.name(), id, "it must start with a letter or digit and hold only letters, digits,"
                    + " '.', '_' and '-', at most 63 characters");
        }
        return new ObservabilityConfig(id, reader.get(LOG_FORMAT));
    }

    /** The host name (made safe) and the process id: unique among processes on one host, and stable while it runs. */
    static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "host";
        }
        String safe = host.replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("^[^A-Za-z0-9]+", "");
        String pid = "-" + ProcessHandle.current().pid();
        safe = safe.isEmpty() ? "vectorsync" : safe;
        return safe.substring(0, Math.min(safe.length(), 63 - pid.length())) + pid;
    }
}
