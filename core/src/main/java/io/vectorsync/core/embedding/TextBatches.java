package io.vectorsync.core.embedding;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * How texts go to an embedding model: in consecutive batches of at most the configured size, each answer checked to
 * hold one vector per text. The one batching loop of the pipeline ({@code EnrichProcessor}), the validator and the
 * model benchmark.
 */
public final class TextBatches {
    private TextBatches() {
    }

    /** Consecutive views of {@code texts}, each of at most {@code batchSize}, in order; none for no texts. */
    public static List<List<String>> split(List<String> texts, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
        }
        List<List<String>> batches = new ArrayList<>((texts.size() + batchSize - 1) / batchSize);
        for (int from = 0; from < texts.size(); from += batchSize) {
            batches.add(texts.subList(from, Math.min(texts.size(), from + batchSize)));
        }
        return batches;
    }

    /**
     * Consecutive views of {@code texts} in order, each of at most {@code batchSize} texts and, by
     * {@link #estimateTokens}, at most {@code maxTokens} tokens; a text over {@code maxTokens} alone goes alone.
     */
    public static List<List<String>> split(List<String> texts, int batchSize, int maxTokens) {
        if (batchSize < 1 || maxTokens < 1) {
            throw new IllegalArgumentException("batch size and tokens must be at least 1, were " + batchSize + ", "
                    + maxTokens);
        }
        List<List<String>> batches = new ArrayList<>();
        int from = 0;
        long tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            int t = estimateTokens(texts.get(i));
            if (i > from && (i - from >= batchSize || tokens + t > maxTokens)) {
                batches.add(texts.subList(from, i));
                from = i;
                tokens = 0;
            }
            tokens += t;
        }
        if (from < texts.size()) {
            batches.add(texts.subList(from, texts.size()));
        }
        return batches;
    }

    /**
     * Tokens a text is expected to cost when the provider does not say: one per three characters, rounded up, at
     * least one. BPE tokenizers average about four characters of English per token; three leaves room for other
     * languages, digits and punctuation, so a batch estimated under a limit stays under it.
     */
    public static int estimateTokens(String text) {
        return Math.max(1, (text.length() + 2) / 3);
    }

    /** The model's answer for {@code batch}, or an error when it does not hold exactly one vector per text. */
    public static List<float[]> checked(List<float[]> vectors, List<String> batch) {
        if (vectors == null || vectors.size() != batch.size()) {
            throw new IllegalStateException("the model returned " + (vectors == null ? "no" : vectors.size())
                    + " vectors for " + batch.size() + " texts");
        }
        return vectors;
    }

    /** Every text embedded batch by batch, one vector per text in order; the first failing batch fails it all. */
    public static List<float[]> embed(Function<List<String>, List<float[]>> model, List<String> texts,
                                      int batchSize) {
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (List<String> batch : split(texts, batchSize)) {
            vectors.addAll(checked(model.apply(batch), batch));
        }
        return vectors;
    }
}
