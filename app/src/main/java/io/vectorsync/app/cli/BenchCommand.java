package io.vectorsync.app.cli;

import io.vectorsync.app.bench.BenchRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vectorsync bench}: end-to-end throughput against the embedding model's own rate, from one run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure end-to-end rows/s (insert commit to pgvector) for N short texts, the embedding model's"
                + " own rate on the same texts, and their ratio.",
                "Uses a fresh table, slot, publication, topics and state of its own and removes them afterwards."
                        + " `./vectorsync bench` runs it on servers of its own (ports 55452 and 19292)."})
public class BenchCommand implements Callable<Integer>, ServiceCommand {

    @Option(names = "--rows", paramLabel = "N", defaultValue = "2000",
            description = "Rows to insert and measure (default ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file; default: the built-in demo configuration. Its collections are"
                    + " replaced by the bench table.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one configuration key; repeatable.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--batch", paramLabel = "N",
            description = "Embedding batch size, for the pipeline and the model alone (default: embedding.batch.size).")
    Integer batch;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Longest wait for each phase (default: 60 + rows/20).")
    Long timeoutSeconds;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed of the generated sentences (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws InterruptedException {
        return new BenchRunner(new BenchRunner.Options(config, overrides, rows, batch,
                timeoutSeconds == null ? null : Duration.ofSeconds(timeoutSeconds), seed), System.out, System.err)
                .run();
    }
}
