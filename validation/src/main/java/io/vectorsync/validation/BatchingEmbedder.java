package io.vectorsync.validation;

import java.util.ArrayList;
import java.util.List;

/** Hands texts to the model in batches of at most {@code batchSize}, as the pipeline does. */
public final class BatchingEmbedder implements TextEmbedder {
    private final TextEmbedder model;
    private final int batchSize;

    public BatchingEmbedder(TextEmbedder model, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
        }
        this.model = model;
        this.batchSize = batchSize;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += batchSize) {
            List<String> batch = texts.subList(from, Math.min(texts.size(), from + batchSize));
            List<float[]> out = model.embed(batch);
            if (out.size() != batch.size()) {
                throw new IllegalStateException("the model returned " + out.size() + " vectors for " + batch.size()
                        + " texts");
            }
            vectors.addAll(out);
        }
        return vectors;
    }
}
