package io.vectorsync.sink.pgvector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.vectorsync.core.json.Json;

import java.util.Map;

/** Reads the {@code metadata jsonb} column back into a map. */
final class MetadataColumn {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private MetadataColumn() {
    }

    static Map<String, Object> parse(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return Json.mapper().readValue(json, MAP);
        } catch (JsonProcessingException e) {
            // PostgreSQL hands back jsonb it validated itself: this cannot happen short of a driver bug.
            throw new IllegalStateException("metadata read from pgvector is not a JSON object", e);
        }
    }
}
