package io.vectorsync.core.kafka;

import io.vectorsync.core.config.KafkaConfig;

import java.util.Optional;

/**
 * The largest record vectorsync publishes ({@code kafka.max.record.bytes}), measured as Kafka stores it: the key's
 * and the value's UTF-8 bytes. Counting does not copy the strings, so a 20 MB value costs no second 20 MB.
 */
public final class RecordSizeLimit {
    private final int maxBytes;

    public RecordSizeLimit(int maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("a record size limit must be positive, was " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    public static RecordSizeLimit of(KafkaConfig kafka) {
        return new RecordSizeLimit(kafka.maxRecordBytes());
    }

    public int maxBytes() {
        return maxBytes;
    }

    /** Why the record may not be published; empty when it fits. Null key or value count as empty. */
    public Optional<OversizedRecordException> check(String key, String value) {
        long bytes = utf8Length(key) + utf8Length(value);
        return bytes > maxBytes ? Optional.of(new OversizedRecordException(bytes, maxBytes, key)) : Optional.empty();
    }

    /** The length of {@code s} in UTF-8, as {@code s.getBytes(UTF_8).length} without the copy; 0 for null. */
    static long utf8Length(String s) {
        if (s == null) {
            return 0;
        }
        long bytes = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                // Any other char, a lone surrogate included (the encoder writes '?' for it, 1 byte).
                bytes += Character.isSurrogate(c) ? 1 : 3;
            }
        }
        return bytes;
    }
}
