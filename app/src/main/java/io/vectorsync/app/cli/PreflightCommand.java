package io.vectorsync.app.cli;

import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.preflight.Preflight;
import io.vectorsync.app.preflight.PreflightReport;
import io.vectorsync.app.preflight.PreflightTable;
import io.vectorsync.core.config.ConfigException;
import io.vectorsync.core.json.Json;
import io.vectorsync.sink.preflight.PreflightCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vectorsync preflight}: everything the configuration relies on, checked before starting, in one table. */
@Command(name = "preflight", mixinStandardHelpOptions = true,
        description = {"Check everything the configuration relies on before starting: Kafka (brokers, version,"
                + " topics), the source PostgreSQL (wal_level, free slots and WAL senders, replication privilege,"
                + " slot, publication, mapped tables, signal and heartbeat tables), each store the collections write"
                + " to (pgvector extension, Neo4j vector indexes, Milvus health) with any existing table, index or"
                + " collection of another dimension, and the embedding model. All checks run, each bounded by"
                + " --timeout; one row per check, each WARN and FAIL saying what to do. Secrets are never printed.",
                "Exit code: 0 nothing failed (warnings allowed), 1 some check failed, 2 bad configuration."})
public class PreflightCommand implements Callable<Integer> {
    static final int BAD_CONFIG = 2;

    /** How the report is printed. */
    enum Format { TABLE, JSON }

    @Mixin
    ConfigOptions options;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json",
            description = "table (default) or json.")
    Format format;

    @Option(names = "--timeout", defaultValue = "10", paramLabel = "SECONDS",
            description = "Bound of each connection and call to a server (default ${DEFAULT-VALUE}); a group of checks"
                    + " still running after " + PreflightCheck.CALLS_PER_GROUP + " times this is reported as failed.")
    long timeoutSeconds;

    @Override
    public Integer call() {
        if (timeoutSeconds < 1) {
            System.err.println("--timeout was " + timeoutSeconds + " but it must be at least 1 second");
            return BAD_CONFIG;
        }
        AppConfig config;
        try {
            // The source's tables are checked as rows of the report, not as a reason to stop.
            config = options.load(false);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return BAD_CONFIG;
        }
        PreflightReport report = Preflight.of(config, Duration.ofSeconds(timeoutSeconds)).run();
        if (format == Format.JSON) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("passed", report.passed());
            json.put("counts", report.counts());
            json.put("results", report.results());
            System.out.println(Json.write(json));
        } else {
            System.out.print(new PreflightTable().render(report));
        }
        return report.exitCode();
    }
}
