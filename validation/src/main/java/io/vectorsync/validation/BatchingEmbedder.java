package io.vectorsync.validation;

import io.vectorsync.core.embedding.TextBatches;

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
        return TextBatches.embed(model::embed, texts, batchSize);
    }
}
