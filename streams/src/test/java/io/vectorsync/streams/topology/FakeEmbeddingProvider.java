package io.vectorsync.streams.topology;

import io.vectorsync.streams.embedding.EmbeddingProvider;
import io.vectorsync.streams.embedding.EmbeddingUnavailableException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Deterministic 4-dimensional vectors from the text's bytes; records every call. */
final class FakeEmbeddingProvider implements EmbeddingProvider {
    final List<List<String>> calls = new ArrayList<>();
    /** Texts the model fails on, as a model server answering an error would: the whole call throws. */
    final Set<String> failsOn = new HashSet<>();
    /** Down: every call fails as an HTTP provider that cannot answer does. */
    boolean down;

    @Override
    public String modelId() {
        return "fake-model";
    }

    @Override
    public int dimension() {
        return 4;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        calls.add(List.copyOf(texts));
        if (down) {
            throw new EmbeddingUnavailableException(EmbeddingUnavailableException.Kind.SERVER_ERROR,
                    "openai at http://127.0.0.1/v1/embeddings answered HTTP 503: overloaded");
        }
        for (String text : texts) {
            if (failsOn.contains(text)) {
                throw new IllegalStateException("model server answered 500: cannot embed input");
            }
        }
        return texts.stream().map(FakeEmbeddingProvider::vectorOf).toList();
    }

    static float[] vectorOf(String text) {
        float[] v = new float[4];
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            v[i % 4] += bytes[i];
        }
        return v;
    }

    int textsEmbedded() {
        return calls.stream().mapToInt(List::size).sum();
    }
}
