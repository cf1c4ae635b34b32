package io.vectorsync.store.neo4j;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LuceneQueryTest {

    @Test
    void everyCharacterOfLuceneSyntaxIsEscaped() {
        assertThat(LuceneQuery.escape("ERR-40417 (disk) +full \"half ~2 a* b? c:d [x TO y] {z} ^3 \\ / ! & |"))
                .isEqualTo("ERR\\-40417 \\(disk\\) \\+full \\\"half \\~2 a\\* b\\? c\\:d \\[x TO y\\] \\{z\\} \\^3"
                        + " \\\\ \\/ \\! \\& \\|");
    }

    @Test
    void operatorWordsBecomePlainWords() {
        assertThat(LuceneQuery.escape("cats AND dogs OR NOT birds ANDROID")).isEqualTo("cats and dogs or not birds ANDROID");
    }

    @Test
    void plainWordsAreKept() {
        assertThat(LuceneQuery.escape("vector databases")).isEqualTo("vector databases");
    }
}
