package io.vectorsync.streams.embedding;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.util.List;
import java.util.Map;

/** One HTTP provider's request and answer shape. Pure: no I/O. */
interface WireFormat {

    /** The provider as named by {@code embedding.provider}, also the {@code provider} metric tag. */
    String name();

    URI uri();

    /** Headers besides {@code Content-Type}: authentication. */
    Map<String, String> headers();

    /** The JSON body asking for the texts' vectors. */
    String body(List<String> texts);

    /**
     * The vectors of an answer in the texts' order, and the tokens the provider counted (-1 when it does not say).
     * Throws {@link EmbeddingUnavailableException} ({@code BAD_RESPONSE}) when the answer does not have the shape.
     */
    Answer parse(JsonNode answer);

    record Answer(List<float[]> vectors, long tokens) {
    }

    static float[] vector(JsonNode array) {
        if (array == null || !array.isArray()) {
            throw new EmbeddingUnavailableException(EmbeddingUnavailableException.Kind.BAD_RESPONSE,
                    "an embedding is not an array of numbers");
        }
        float[] v = new float[array.size()];
        for (int i = 0; i < v.length; i++) {
            JsonNode x = array.get(i);
            if (!x.isNumber()) {
                throw new EmbeddingUnavailableException(EmbeddingUnavailableException.Kind.BAD_RESPONSE,
                        "an embedding holds a non-number at " + i);
            }
            v[i] = x.floatValue();
        }
        return v;
    }
}
