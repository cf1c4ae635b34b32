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
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vectorsync search}: asks a running service's search API and prints the answer. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Search a collection through a running vectorsync service: the query is embedded and answered"
                + " by the store the collection's mode says serves reads. The API token (http.token), if the service"
                + " requires one, is read from " + ApiToken.VARIABLE + ".")
public class SearchCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "QUERY", description = "The text to search for.")
    String query;

    @Option(names = "--collection", required = true, paramLabel = "NAME", description = "The collection.")
    String collection;

    @Option(names = "-k", defaultValue = "5", description = "How many documents (default ${DEFAULT-VALUE}).")
    int k;

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
        HttpResponse<String> response;
        try {
            response = service.get("/v1/collections/" + URLEncoder.encode(collection, StandardCharsets.UTF_8)
                    + "/search?k=" + k + "&q=" + URLEncoder.encode(query, StandardCharsets.UTF_8),
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
        System.out.println("served by " + body.path("store").asText()
                + (body.path("mode").isNull() ? "" : " (mode " + body.path("mode").asText() + ", epoch "
                + body.path("epoch").asLong() + ")")
                + (body.path("shadow_store").isNull() ? "" : ", mirrored to " + body.path("shadow_store").asText())
                + " in " + body.path("took_ms").asLong() + " ms");
        int rank = 1;
        for (JsonNode hit : body.path("hits")) {
            System.out.printf("%2d. %.4f  %-12s %s%n", rank++, hit.path("score").asDouble(), hit.path("id").asText(),
                    abbreviate(hit.path("content").asText(), 100));
        }
        return 0;
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
