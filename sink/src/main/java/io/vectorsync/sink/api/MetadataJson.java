package io.vectorsync.sink.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.vectorsync.core.json.Json;

import java.util.Map;

/**
 * Metadata as JSON text, the form every store keeps it in (pgvector {@code jsonb}, a Neo4j string property, a Milvus
 * JSON field), so nested values round-trip with the same Java types whichever store they come back from.
 */
public final class MetadataJson {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private MetadataJson() {
    }

    /** The metadata as a JSON object text. */
    public static String write(Map<String, Object> metadata) {
        return Json.write(metadata);
    }

    /** Reads a JSON object back; null reads as empty metadata. */
    public static Map<String, Object> parse(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return Json.mapper().readValue(json, MAP);
        } catch (JsonProcessingException e) {
            // Every sink writes this text itself through write(): reaching here means the store was edited by hand.
            throw new IllegalStateException("stored metadata is not a JSON object", e);
        }
    }
}
