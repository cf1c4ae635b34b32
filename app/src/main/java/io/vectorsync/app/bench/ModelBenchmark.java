package io.vectorsync.app.bench;

import io.vectorsync.core.embedding.TextBatches;
import io.vectorsync.streams.embedding.EmbeddingProvider;

import java.util.List;

/** The embedding model alone: texts per second over the given texts in batches, after one untimed warm-up batch. */
public final class ModelBenchmark {

    /** @param seconds wall time of the timed pass over every text */
    public record Result(int texts, int batchSize, double seconds) {
        public double textsPerSecond() {
            return texts / seconds;
        }
    }

    private ModelBenchmark() {
    }

    public static Result measure(EmbeddingProvider model, List<String> texts, int batchSize) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("no texts to embed");
        }
        // The first calls pay for ONNX Runtime's session set-up and JIT; they are not the model's rate.
        model.embed(texts.subList(0, Math.min(batchSize, texts.size())));
        long start = System.nanoTime();
        TextBatches.embed(model::embed, texts, batchSize);
        return new Result(texts.size(), batchSize, (System.nanoTime() - start) / 1e9);
    }
}
