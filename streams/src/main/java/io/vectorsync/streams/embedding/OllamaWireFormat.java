package io.vectorsync.streams.embedding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vectorsync.core.config.EmbeddingEndpoint;
import io.vectorsync.core.json.Json;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Ollama's native {@code POST {url}/api/embed}: {@code {"model", "input": [...]}} answered by {@code embeddings} in
 * order and {@code prompt_eval_count} tokens. An API key, when set, goes as {@code Authorization: Bearer} for a
 * proxy in front of Ollama.
 */
final class OllamaWireFormat implements WireFormat {
    private final EmbeddingEndpoint endpoint;
    private final int dimension;

    OllamaWireFormat(EmbeddingEndpoint endpoint, int dimension) {
        this.endpoint = endpoint;
        this.dimension = dimension;
    }

    @Override
    public String name() {
        return "ollama";
    }

    @Override
    public URI uri() {
        return URI.create(OpenAiWireFormat.stripSlash(endpoint.url()) + "/api/embed");
    }

    @Override
    public Map<String, String> headers() {
        return endpoint.apiKey().isEmpty() ? Map.of() : Map.of("Authorization", "Bearer " + endpoint.apiKey());
    }

    @Override
    public String body(List<String> texts) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("model", endpoint.model());
        ArrayNode input = body.putArray("input");
        texts.forEach(input::add);
        if (endpoint.sendDimensions()) {
            body.put("dimensions", dimension);
        }
        return body.toString();
    }

    @Override
    public Answer parse(JsonNode answer) {
        JsonNode embeddings = answer.get("embeddings");
        if (embeddings == null || !embeddings.isArray()) {
            throw new EmbeddingUnavailableException(EmbeddingUnavailableException.Kind.BAD_RESPONSE,
                    "the answer has no 'embeddings' array");
        }
        List<float[]> vectors = new ArrayList<>(embeddings.size());
        embeddings.forEach(e -> vectors.add(WireFormat.vector(e)));
        JsonNode tokens = answer.path("prompt_eval_count");
        return new Answer(vectors, tokens.isNumber() ? tokens.asLong() : -1);
    }
}
