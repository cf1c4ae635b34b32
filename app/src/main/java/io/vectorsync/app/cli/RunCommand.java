package io.vectorsync.app.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.logging.LogFormat;
import io.vectorsync.app.pipeline.Pipeline;
import io.vectorsync.app.pipeline.Role;
import io.vectorsync.core.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code vectorsync run}: connector, streams and sink in one process, until stopped. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run connector, streams and sink workers in one process until Ctrl-C.")
public class RunCommand implements Callable<Integer>, ServiceCommand {

    @Mixin
    ConfigOptions options;

    Set<Role> roles() {
        return EnumSet.allOf(Role.class);
    }

    @Override
    public Integer call() throws InterruptedException {
        AppConfig config;
        try {
            config = options.load(roles().contains(Role.CONNECTOR));
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        return runUntilStopped(config, roles());
    }

    static int runUntilStopped(AppConfig config, Set<Role> roles) throws InterruptedException {
        LogFormat.apply(config.observability());
        CountDownLatch stop = new CountDownLatch(1);
        Pipeline pipeline = Pipeline.start(config, roles, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        Thread hook = new Thread(() -> {
            stop.countDown();
            pipeline.close();
        }, "vectorsync-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        while (!stop.await(1, TimeUnit.SECONDS)) {
            if (pipeline.failure().isPresent()) {
                System.err.println("vectorsync stopped: " + pipeline.failure().get());
                Runtime.getRuntime().removeShutdownHook(hook);
                pipeline.close();
                return 1;
            }
        }
        return 0;
    }

    @Command(name = "connector", mixinStandardHelpOptions = true,
            description = {"Run only the Debezium connector: PostgreSQL changes into Kafka.",
                    "Serves /health and /metrics on http.port; the search API and dashboard run with streams."})
    public static class Connector extends RunCommand {
        @Override
        Set<Role> roles() {
            return EnumSet.of(Role.CONNECTOR);
        }
    }

    @Command(name = "streams", mixinStandardHelpOptions = true,
            description = {"Run only the streams worker: map, embed and route changes.",
                    "Serves the search API, the dashboard, /health and /metrics on http.port."})
    public static class Streams extends RunCommand {
        @Override
        Set<Role> roles() {
            return EnumSet.of(Role.STREAMS);
        }
    }

    @Command(name = "sink", mixinStandardHelpOptions = true,
            description = {"Run only the sink workers: apply changes to the stores.",
                    "Serves /health and /metrics on http.port; the search API and dashboard run with streams."})
    public static class Sink extends RunCommand {
        @Override
        Set<Role> roles() {
            return EnumSet.of(Role.SINK);
        }
    }
}
