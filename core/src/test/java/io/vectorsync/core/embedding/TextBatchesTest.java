package io.vectorsync.core.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextBatchesTest {

    @Test
    void splitsIntoConsecutiveBatchesOfAtMostTheSize() {
        assertThat(TextBatches.split(List.of("a", "b", "c", "d", "e"), 2))
                .containsExactly(List.of("a", "b"), List.of("c", "d"), List.of("e"));
        assertThat(TextBatches.split(List.of("a", "b"), 2)).containsExactly(List.of("a", "b"));
        assertThat(TextBatches.split(List.of(), 3)).isEmpty();
    }

    @Test
    void aBatchSizeBelowOneIsRefused() {
        assertThatThrownBy(() -> TextBatches.split(List.of("a"), 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("batch size must be at least 1, was 0");
    }

    @Test
    void embedsBatchByBatchAndKeepsTheOrder() {
        List<List<String>> calls = new ArrayList<>();
        List<float[]> vectors = TextBatches.embed(batch -> {
            calls.add(List.copyOf(batch));
            return batch.stream().map(t -> new float[]{t.length()}).toList();
        }, List.of("a", "bb", "ccc"), 2);

        assertThat(calls).containsExactly(List.of("a", "bb"), List.of("ccc"));
        assertThat(vectors).extracting(v -> v[0]).containsExactly(1f, 2f, 3f);
    }

    @Test
    void anAnswerWithoutOneVectorPerTextIsAnError() {
        assertThatThrownBy(() -> TextBatches.embed(batch -> List.of(), List.of("a"), 4))
                .isInstanceOf(IllegalStateException.class).hasMessage("the model returned 0 vectors for 1 texts");
        assertThatThrownBy(() -> TextBatches.checked(null, List.of("a", "b")))
                .hasMessage("the model returned no vectors for 2 texts");
    }

    @Test
    void batchesCloseAtTheCountOrTheEstimatedTokensWhicheverComesFirstAndALongTextGoesAlone() {
        String six = "x".repeat(18); // 6 estimated tokens
        String long30 = "y".repeat(90); // 30 estimated tokens, over the limit alone
        assertThat(TextBatches.split(List.of(six, six, six, long30, six, six, six, six), 3, 12))
                .containsExactly(List.of(six, six), List.of(six), List.of(long30), List.of(six, six), List.of(six, six));
        assertThat(TextBatches.split(List.of("a", "b", "c", "d"), 3, 100))
                .containsExactly(List.of("a", "b", "c"), List.of("d"));
        assertThat(TextBatches.split(List.of(), 3, 100)).isEmpty();
    }

    @Test
    void tokensAreEstimatedAsOnePerThreeCharactersRoundedUpAndAtLeastOne() {
        assertThat(TextBatches.estimateTokens("")).isEqualTo(1);
        assertThat(TextBatches.estimateTokens("abc")).isEqualTo(1);
        assertThat(TextBatches.estimateTokens("abcd")).isEqualTo(2);
        assertThat(TextBatches.estimateTokens("The cat sat on the mat")).isEqualTo(8);
    }
}
