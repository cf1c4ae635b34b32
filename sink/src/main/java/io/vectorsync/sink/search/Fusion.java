package io.vectorsync.sink.search;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How {@link HybridFusion} merges a vector and a keyword result list: by rank ({@link #RRF}, reciprocal rank
 * fusion, blind to the scores' scales) or by a weighted sum of min-max normalised scores ({@link #WEIGHTED}).
 */
public enum Fusion {
    RRF, WEIGHTED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static Fusion parse(String value) {
        for (Fusion f : values()) {
            if (f.id().equals(value)) {
                return f;
            }
        }
        throw new IllegalArgumentException("it must be one of "
                + Arrays.stream(values()).map(Fusion::id).collect(Collectors.joining(", ")));
    }
}
