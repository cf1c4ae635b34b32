package io.vectorsync.streams.embedding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vectorsync.core.config.EmbeddingEndpoint;
import io.vectorsync.core.json.Json;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The OpenAI embeddings format: {@code POST {url}/embeddings} with {@code Authorization: Bearer}, or Azure OpenAI's
 * {@code POST {url}/openai/deployments/{model}/embeddings?api-version=…} with {@code api-key}. Answers are
 * {@code data[].embedding} ordered by {@code data[].index}, tokens in {@code usage.prompt_tokens}.
 */
final class OpenAiWireFormat implements WireFormat {
    private final EmbeddingEndpoint endpoint;
    private final int dimension;

    OpenAiWireFormat(EmbeddingEndpoint endpoint, int dimension) {
        this.endpoint = endpoint;
        this.dimension = dimension;
    }

    @Override
    public String name() {
        return "openai";
    }

    @Override
    public URI uri() {
        String base = stripSlash(endpoint.url());
        if (endpoint.azure()) {
            return URI.create(base + "/openai/deployments/" + URLEncoder.encode(endpoint.model(), StandardCharsets.UTF_8)
                    + "/embeddings?api-version=" + URLEncoder.encode(endpoint.azureApiVersion(), StandardCharsets.UTF_8));
        }
        return URI.create(base + "/embeddings");
    }

    @Override
    public Map<String, String> headers() {
        if (endpoint.apiKey().isEmpty()) {
            return Map.of();
        }
        return endpoint.azure() ? Map.of("api-key", endpoint.apiKey())
                : Map.of("Authorization", "Bearer " + endpoint.apiKey());
    }

    @Override
    public String body(List<String> texts) {
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode input = body.putArray("input");
        texts.forEach(input::add);
        if (!endpoint.azure()) {
            body.put("model", endpoint.model()); // Azure names the deployment in the URL
        }
        body.put("encoding_format", "float");
        if (endpoint.sendDimensions()) {
            body.put("dimensions", dimension);
        }
        return body.toString();
    }

    @Override
    public Answer parse(JsonNode answer) {
        JsonNode data = answer.get("data");
        if (data == null || !data.isArray()) {
            throw new EmbeddingUnavailableException(EmbeddingUnavailableException.Kind.BAD_RESPONSE,
                    "the answer has no 'data' array");
        }
        JsonNode[] items = new JsonNode[data.size()];
        for (int i = 0; i < items.length; i++) {
            items[i] = data.get(i);
        }
        // The format carries each vector's index; servers answer in order, but the index is what counts.
        Arrays.sort(items, Comparator.comparingInt(n -> n.path("index").asInt(Integer.MAX_VALUE)));
        List<float[]> vectors = Arrays.stream(items).map(n -> WireFormat.vector(n.get("embedding"))).toList();
        JsonNode tokens = answer.path("usage").path("prompt_tokens");
        return new Answer(vectors, tokens.isNumber() ? tokens.asLong() : -1);
    }

    static String stripSlash(String url) {
        String u = url.trim();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }
}
