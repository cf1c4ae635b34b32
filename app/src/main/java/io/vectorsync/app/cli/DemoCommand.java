package io.vectorsync.app.cli;

import io.vectorsync.app.demo.DemoRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vectorsync demo}: the whole pipeline on sample articles, step by step. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole pipeline on sample articles, step by step: create the databases, insert"
                + " articles, capture, embed them once and store them in pgvector, Neo4j and Milvus, apply edits and"
                + " deletes, answer questions by semantic search; then keep running until Ctrl-C.",
                "Needs PostgreSQL on 127.0.0.1:55432, Kafka on 127.0.0.1:19092, Neo4j on 127.0.0.1:17687 and Milvus"
                        + " on 127.0.0.1:19530 (`scripts/services.sh up`); `./vectorsync demo` starts them from"
                        + " scratch first.",
                "It drops and recreates the table, replication slot, publication, topics and pgvector collection"
                        + " its configuration names; Neo4j and Milvus start empty under `./vectorsync demo`."})
public class DemoCommand implements Callable<Integer>, ServiceCommand {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Use this configuration file instead of the built-in demo configuration.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one configuration key; repeatable.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--rows", paramLabel = "N", defaultValue = "30",
            description = "Sample articles to insert (at least " + DemoRunner.MIN_ROWS + "; default ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--exit", description = "Exit after the scripted steps instead of running until Ctrl-C.")
    boolean exit;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "180",
            description = "Longest wait for the stores to show a step's result (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    public Integer call() throws InterruptedException {
        return new DemoRunner(new DemoRunner.Options(config, overrides, rows, exit,
                Duration.ofSeconds(timeoutSeconds)), System.out, System.err).run();
    }
}
