package io.vectorsync.sink.search;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a search finds documents: by meaning (vector), by words (keyword), or both fused ({@link HybridFusion}). */
public enum SearchMode {
    VECTOR, KEYWORD, HYBRID;

    /** The name as the API and CLI spell it: {@code vector}, {@code keyword}, {@code hybrid}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the value and the accepted ones; never falls back to a default */
    public static SearchMode parse(String value) {
        for (SearchMode m : values()) {
            if (m.id().equals(value)) {
                return m;
            }
        }
        throw new IllegalArgumentException("it must be one of " + ids());
    }

    public static String ids() {
        return Arrays.stream(values()).map(SearchMode::id).collect(Collectors.joining(", "));
    }
}
