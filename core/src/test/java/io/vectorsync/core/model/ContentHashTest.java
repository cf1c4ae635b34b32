package io.vectorsync.core.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ContentHashTest {

    @Test
    void isTheLowerCaseHexSha256OfTheText() {
        assertThat(ContentHash.sha256("")).isEqualTo(
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(ContentHash.sha256("abc")).isEqualTo(
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void withASourceVectorIsTheSha256OfTextZeroByteAndTheFloatsBigEndian() {
        // "a", 0x00, 1.0f = 0x3f800000, -2.0f = 0xc0000000; digest by: printf 'a\0\x3f\x80\0\0\xc0\0\0\0' | sha256sum
        assertThat(ContentHash.sha256("a", new float[] {1.0f, -2.0f})).isEqualTo(
                "311a3ef24798e68847cfe85bf8d2c93fc7db6f74b5067a88b5231a228ca8cc84");
    }

    @Test
    void aChangedVectorWithUnchangedTextChangesTheHashAndNoVectorIsTheTextAlone() {
        String one = ContentHash.sha256("same text", new float[] {0.25f, 0.5f});
        assertThat(ContentHash.sha256("same text", new float[] {0.25f, 0.5f})).isEqualTo(one);
        assertThat(ContentHash.sha256("same text", new float[] {0.25f, Math.nextUp(0.5f)})).isNotEqualTo(one);
        assertThat(ContentHash.sha256("same text", new float[] {0.25f})).isNotEqualTo(one);
        assertThat(ContentHash.sha256("same text", null)).isEqualTo(ContentHash.sha256("same text"));
        assertThat(ContentHash.sha256("", new float[0])).isNotEqualTo(ContentHash.sha256(""));
    }
}
