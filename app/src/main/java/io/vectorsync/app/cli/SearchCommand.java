package io.vectorsync.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vectorsync.core.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vectorsync search}: asks a running service's search API and prints the answer. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Search a collection through a running vectorsync service, by meaning (vector), by words"
                + " (keyword) or both fused (hybrid), answered by the store the collection's mode says serves reads"
                + " or by the one --store names (see docs/search.md). The API token (http.token), if the service"
                + " requires one, is read from " + ApiToken.VARIABLE + ".")
public class SearchCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "QUERY", description = "The text to search for.")
    String query;

    @Option(names = "--collection", required = true, paramLabel = "NAME", description = "The collection.")
    String collection;

    @Option(names = "-k", defaultValue = "5", description = "How many documents (default ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--mode", paramLabel = "MODE", description = "vector (default), keyword or hybrid.")
    String mode;

    @Option(names = "--fusion", paramLabel = "FUSION",
            description = "How hybrid fuses its two lists: rrf (default; reciprocal rank fusion, k=60) or weighted.")
    String fusion;

    @Option(names = "--vector-weight", paramLabel = "W",
            description = "The vector list's weight in [0, 1] of a weighted hybrid search (default 0.7; keyword"
                    + " gets the rest). Implies --fusion weighted.")
    String vectorWeight;

    @Option(names = "--store", paramLabel = "STORE",
            description = "Ask this store (pgvector, neo4j, milvus) if it holds the collection, rather than the one"
                    + " the collection's mode serves reads from.")
    String store;

    @Option(names = "--min-score", paramLabel = "SCORE",
            description = "Leave out hits scoring below it (cosine for vector, the store's rank for keyword, the"
                    + " fused score for hybrid).")
    String minScore;

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", paramLabel = "URL",
            description = "The service's HTTP address (default ${DEFAULT-VALUE}; see http.host and http.port).")
    String url;

    @Option(names = "--json", description = "Print the answer as the API returns it.")
    boolean json;

    /** Where {@link ApiToken} finds the token. */
    Map<String, String> env = System.getenv();

    @Override
    public Integer call() throws InterruptedException {
        ServiceCall service = new ServiceCall(url, env);
        StringBuilder params = new StringBuilder("k=" + k + "&q=" + encode(query));
        Map<String, String> optional = new LinkedHashMap<>();
        optional.put("mode", mode);
        optional.put("fusion", fusion);
        optional.put("vector.weight", vectorWeight);
        optional.put("store", store);
        optional.put("min.score", minScore);
        optional.forEach((name, value) -> {
            if (value != null) {
                params.append('&').append(name).append('=').append(encode(value));
            }
        });
        HttpResponse<String> response;
        try {
            response = service.get("/v1/collections/" + encode(collection) + "/search?" + params,
                    Duration.ofSeconds(60));
        } catch (ServiceCall.Failure e) {
            System.err.println(e.getMessage());
            return e.exitCode();
        }
        JsonNode body = Json.read(response.body(), JsonNode.class);
        if (response.statusCode() != 200) {
            System.err.println("search failed (" + response.statusCode() + "): " + service.masked(body.path("error").asText())
                    + ApiToken.hint(response.statusCode(), env));
            return response.statusCode() == 503 ? 3 : 2;
        }
        if (json) {
            System.out.println(response.body());
            return 0;
        }
        System.out.println(body.path("search_mode").asText("vector")
                + (body.path("fusion").isTextual() ? " (" + body.path("fusion").asText()
                + (body.path("vector_weight").isNumber() ? ", vector weight " + body.path("vector_weight").asDouble()
                : "") + ")" : "")
                + " search served by " + body.path("store").asText()
                + (body.path("mode").isNull() ? "" : " (mode " + body.path("mode").asText() + ", epoch "
                + body.path("epoch").asLong() + ")")
                + (body.path("shadow_store").isNull() ? "" : ", mirrored to " + body.path("shadow_store").asText())
                + " in " + body.path("took_ms").asLong() + " ms");
        List<JsonNode> hits = new ArrayList<>();
        body.path("hits").forEach(hits::add);
        System.out.print(SearchTable.render(hits));
        return 0;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
