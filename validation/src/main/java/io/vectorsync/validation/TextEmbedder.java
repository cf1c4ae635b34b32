package io.vectorsync.validation;

import java.util.List;

/**
 * Embeds source texts with the pipeline's model, so a stored vector can be compared with what the model gives for
 * the source text now. The app passes the configured embedding provider; tests a fake.
 */
@FunctionalInterface
public interface TextEmbedder {

    /** One vector per text, in order. */
    List<float[]> embed(List<String> texts);
}
