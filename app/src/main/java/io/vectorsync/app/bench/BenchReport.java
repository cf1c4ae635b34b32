package io.vectorsync.app.bench;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The bench's figures, printed as a Markdown table so they can go straight into docs/benchmarks.md.
 *
 * @param stages seconds from the start of the insert until the rows were inserted, captured by Debezium, embedded by
 *               the streams worker, and all in pgvector (the end-to-end time)
 */
public record BenchReport(int rows, int batchSize, BenchRunner.Stages stages, ModelBenchmark.Result model) {

    public double e2eSeconds() {
        return stages.stored();
    }

    public double e2eRowsPerSecond() {
        return rows / e2eSeconds();
    }

    public double ratio() {
        return e2eRowsPerSecond() / model.textsPerSecond();
    }

    public void print(PrintStream out) {
        out.println();
        out.printf(Locale.ROOT, "vectorsync bench: %d rows of ~20-word text, embedding batch size %d%n", rows,
                batchSize);
        out.println("machine: " + machine());
        out.println();
        out.println("| rows | e2e seconds | e2e rows/s | model texts/s | e2e / model |");
        out.println("|-----:|------------:|-----------:|--------------:|------------:|");
        out.printf(Locale.ROOT, "| %d | %.2f | %.0f | %.0f | %.2f |%n", rows, e2eSeconds(), e2eRowsPerSecond(),
                model.textsPerSecond(), ratio());
        out.println();
        out.printf(Locale.ROOT, "stages, from the start of the insert: all rows committed after %.2f s, captured by"
                + " Debezium after %.2f s, embedded after %.2f s, in pgvector after %.2f s%n", stages.inserted(),
                stages.captured(), stages.embedded(), stages.stored());
        out.printf(Locale.ROOT, "model alone: %d texts in %.2f s (batches of %d, after one warm-up batch)%n",
                model.texts(), model.seconds(), model.batchSize());
        out.flush();
    }

    public static String machine() {
        Runtime rt = Runtime.getRuntime();
        return rt.availableProcessors() + " cores, Java " + System.getProperty("java.version") + " ("
                + System.getProperty("java.vm.name") + "), " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + ", max heap " + rt.maxMemory() / (1024 * 1024) + " MB";
    }
}
