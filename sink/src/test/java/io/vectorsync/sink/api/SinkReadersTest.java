package io.vectorsync.sink.api;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SinkReadersTest {

    @Test
    void binaryOrderIsCodePointOrderNotUtf16Order() {
        List<String> ids = new ArrayList<>(List.of("🔑", "\uFF21", "9", "10", "a", "B", "", "ab", "a\u0000"));

        ids.sort(SinkReaders.BINARY_ORDER);

        assertThat(ids).containsExactly("", "10", "9", "B", "a", "a\u0000", "ab", "\uFF21", "🔑");
        assertThat("🔑".compareTo("\uFF21")).as("String.compareTo disagrees").isNegative();
    }

    @Test
    void limitBelowOneIsRefused() {
        assertThat(SinkReaders.requireLimit(1)).isEqualTo(1);
        assertThatThrownBy(() -> SinkReaders.requireLimit(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limit must be at least 1, was 0");
    }
}
