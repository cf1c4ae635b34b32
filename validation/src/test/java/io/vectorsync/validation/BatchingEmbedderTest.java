package io.vectorsync.validation;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchingEmbedderTest {

    @Test
    void handsTheModelBatchesOfAtMostTheBatchSizeAndKeepsTheOrder() {
        List<Integer> batches = new ArrayList<>();
        TextEmbedder model = texts -> {
            batches.add(texts.size());
            return texts.stream().map(t -> new float[]{t.length()}).toList();
        };

        List<float[]> vectors = new BatchingEmbedder(model, 2).embed(List.of("a", "bb", "ccc", "dddd", "eeeee"));

        assertThat(batches).containsExactly(2, 2, 1);
        assertThat(vectors).extracting(v -> v[0]).containsExactly(1f, 2f, 3f, 4f, 5f);
    }

    @Test
    void aModelThatLosesTextsIsCaught() {
        assertThatThrownBy(() -> new BatchingEmbedder(texts -> List.of(), 4).embed(List.of("a")))
                .hasMessage("the model returned 0 vectors for 1 texts");
    }
}
