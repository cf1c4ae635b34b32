package io.vectorsync.sink.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/** Small checks and orders every {@link SinkReader} shares. */
public final class SinkReaders {
    /**
     * Binary order of ids, the order of {@link SinkReader#ids}: by Unicode code point, which is also the order of
     * their UTF-8 bytes and PostgreSQL's C collation. Not {@link String#compareTo}, which compares UTF-16 units and so
     * puts a character beyond U+FFFF before U+E000..U+FFFF.
     */
    public static final Comparator<String> BINARY_ORDER = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private SinkReaders() {
    }

    /** @throws IllegalArgumentException when {@code limit} is below 1 */
    public static int requireLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        return limit;
    }
}
