package io.vectorsync.core.model;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of the text to embed, in hex: equal hash, equal text, no need to embed again. The pipeline stores it with
 * every document and the validator recomputes it from the source row, so both must use this one function.
 */
public final class ContentHash {
    private ContentHash() {
    }

    public static String sha256(String text) {
        return HexFormat.of().formatHex(digest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The hash of a document whose vector comes from a source column: the text's UTF-8 bytes, a zero byte (never in
     * PostgreSQL text), then each float's IEEE 754 bits, big-endian. A changed vector with unchanged text is then a
     * changed document, as changed text is. Without a vector (a NULL vector with blank text) it is
     * {@link #sha256(String)} of the text.
     */
    public static String sha256(String text, float[] vector) {
        if (vector == null) {
            return sha256(text);
        }
        MessageDigest digest = digest();
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        ByteBuffer bits = ByteBuffer.allocate(Float.BYTES * vector.length);
        for (float f : vector) {
            bits.putInt(Float.floatToIntBits(f));
        }
        digest.update(bits.array());
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
