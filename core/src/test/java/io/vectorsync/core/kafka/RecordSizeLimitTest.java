package io.vectorsync.core.kafka;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordSizeLimitTest {

    @Test
    void aRecordOfExactlyTheLimitFitsAndOneByteMoreDoesNot() {
        RecordSizeLimit limit = new RecordSizeLimit(10);

        assertThat(limit.check("key", "1234567")).isEmpty();
        assertThat(limit.check("key", "12345678")).hasValueSatisfying(e -> {
            assertThat(e.bytes()).isEqualTo(11);
            assertThat(e.limit()).isEqualTo(10);
            assertThat(e).hasMessage("record of 11 bytes is over kafka.max.record.bytes (10), key key");
        });
    }

    @Test
    void sizeIsCountedInUtf8BytesNotInChars() {
        RecordSizeLimit limit = new RecordSizeLimit(6);

        // "é" is 2 bytes, "€" 3: 5 chars of key and value are 7 bytes.
        assertThat(limit.check("é", "ab€")).hasValueSatisfying(e -> assertThat(e.bytes()).isEqualTo(7));
        assertThat(limit.check("e", "ab€")).isEmpty();
    }

    @Test
    void aMissingKeyOrValueCountsAsEmpty() {
        RecordSizeLimit limit = new RecordSizeLimit(3);

        assertThat(limit.check(null, "abc")).isEmpty();
        assertThat(limit.check("abc", null)).isEmpty();
        assertThat(limit.check(null, "abcd")).hasValueSatisfying(e ->
                assertThat(e).hasMessageEndingWith("key null"));
    }

    @Test
    void aLongKeyIsCutInTheMessage() {
        String key = "k".repeat(1000);

        assertThat(new RecordSizeLimit(10).check(key, "")).hasValueSatisfying(e ->
                assertThat(e.getMessage()).endsWith("k… (1000 chars)").hasSizeLessThan(300));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "plain ascii", "café", "€uro", "emoji \uD83D\uDE00 here", "lone \uD800 surrogate",
            "\uDC00 low first"})
    void utf8LengthIsWhatTheEncoderWrites(String s) {
        assertThat(RecordSizeLimit.utf8Length(s)).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void theLimitMustBePositive() {
        assertThatThrownBy(() -> new RecordSizeLimit(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
