package io.vectorsync.sink.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One nearest-neighbour result, the same from every store.
 *
 * @param score cosine similarity: 1 for the same direction, 0 for unrelated, on the same scale in every store
 */
public record SearchHit(String id, String content, Map<String, Object> metadata, double score) {

    public SearchHit {
        Objects.requireNonNull(id, "id");
        // Not Map.copyOf: metadata values may be null (a NULL column).
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    @Override
    public String toString() {
        // No content: this may land in logs.
        return "SearchHit[" + id + " score=" + score + "]";
    }
}
