package io.vectorsync.connector.redrive;

import io.vectorsync.connector.SnapshotSignal;
import io.vectorsync.core.model.TableId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyFilterTest {
    private static final TableId DOCS = new TableId("public", "docs");

    @Test
    void oneIdColumnIsAnInListOfStringLiterals() {
        assertThat(KeyFilter.in(List.of("id"), List.of(List.of("1"), List.of("2"))))
                .isEqualTo("\"id\" IN ('1','2')");
    }

    @Test
    void severalIdColumnsCompareRowsInIdColumnOrder() {
        assertThat(KeyFilter.in(List.of("tenant", "doc_id"), List.of(List.of("acme", "7"), List.of("b", "8"))))
                .isEqualTo("(\"tenant\",\"doc_id\") IN (('acme','7'),('b','8'))");
    }

    @Test
    void quotesAreDoubledAndBackslashesMakeAnEscapeStringSoNoValueLeavesItsLiteral() {
        assertThat(KeyFilter.literal("it's")).isEqualTo("'it''s'");
        assertThat(KeyFilter.literal("') OR true --")).isEqualTo("''') OR true --'");
        assertThat(KeyFilter.literal("a\\")).isEqualTo("E'a\\\\'");
        assertThat(KeyFilter.literal("a\\'b")).isEqualTo("E'a\\\\''b'");
        assertThat(KeyFilter.literal("ключ 🔑 \"x\"")).isEqualTo("'ключ 🔑 \"x\"'");
    }

    @Test
    void aKeyWhoseArityDiffersFromTheIdColumnsIsRefusedNamingIt() {
        assertThatThrownBy(() -> KeyFilter.requireKeys(List.of("a", "b"), List.of(List.of("1", "x"), List.of("2"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key [2] has 1 values but the id columns are [a, b]");
        assertThatThrownBy(() -> KeyFilter.requireKeys(List.of("id"), List.of(Arrays.asList((String) null))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key [null] holds a null value; a primary key has none");
        assertThatThrownBy(() -> KeyFilter.requireKeys(List.of("id; DROP TABLE x"), List.of(List.of("1"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("id column 'id; DROP TABLE x' is not a valid identifier");
        assertThatThrownBy(() -> KeyFilter.requireKeys(List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void chunksHoldAtMost500KeysInOrder() {
        List<List<String>> keys = keys(1_201, "");

        List<List<List<String>>> chunks = KeyFilter.chunks(DOCS, List.of("id"), keys, Integer.MAX_VALUE);

        assertThat(chunks).extracting(List::size).containsExactly(500, 500, 201);
        assertThat(chunks.stream().flatMap(List::stream).toList()).isEqualTo(keys);
    }

    @Test
    void chunksFitTheSignalTablesDataColumnExactly() {
        List<List<String>> keys = keys(300, "a-longer-key-with-'quote'-and-\\backslash-");

        List<List<List<String>>> chunks = KeyFilter.chunks(DOCS, List.of("id"), keys, 2_048);

        assertThat(chunks).hasSizeGreaterThan(1);
        assertThat(chunks.stream().flatMap(List::stream).toList()).isEqualTo(keys);
        for (int i = 0; i < chunks.size(); i++) {
            int length = data(chunks.get(i)).length();
            assertThat(length).isLessThanOrEqualTo(2_048);
            if (i < chunks.size() - 1) {
                List<List<String>> oneMore = new ArrayList<>(chunks.get(i));
                oneMore.add(chunks.get(i + 1).get(0));
                assertThat(data(oneMore).length()).as("chunk %d is as full as it can be", i).isGreaterThan(2_048);
            }
        }
    }

    @Test
    void aKeyTooLongForOneSignalIsRefusedNamingIt() {
        String huge = "x".repeat(3_000);

        assertThatThrownBy(() -> KeyFilter.chunks(DOCS, List.of("id"), List.of(List.of(huge)), 2_048))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("key [xxxx")
                .hasMessageContaining("is too long for one signal")
                .hasMessageEndingWith("but the signal table's data column takes 2048");
    }

    private static String data(List<List<String>> chunk) {
        return SnapshotSignal.incremental(DOCS, KeyFilter.in(List.of("id"), chunk));
    }

    private static List<List<String>> keys(int n, String prefix) {
        List<List<String>> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(List.of(prefix + i));
        }
        return keys;
    }
}
