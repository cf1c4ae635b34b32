package io.vectorsync.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vectorsync.core.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vectorsync status}: what the dashboard shows, as text, from a running service's {@code /api/overview}. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show a running vectorsync service's lag per sink (state, end-to-end lag now and p50/p99,"
                + " consumer lag, slot lag, throughput), each migrating collection's mode, epoch, backfill and"
                + " cutover-gate verdict with every condition, and the dead-letter count.",
                "The API token (http.token), if the service requires one, is read from " + ApiToken.VARIABLE + ".",
                "Exit codes: 0 shown, 2 --url is not a URL, 3 the service cannot be reached or answered with an error."})
public class StatusCommand implements Callable<Integer> {

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", paramLabel = "URL",
            description = "The service's HTTP address (default ${DEFAULT-VALUE}; see http.host and http.port).")
    String url;

    @Option(names = "--json", description = "Print the overview as the API returns it.")
    boolean json;

    /** Where {@link ApiToken} finds the token. */
    Map<String, String> env = System.getenv();

    @Override
    public Integer call() throws InterruptedException {
        ServiceCall service = new ServiceCall(url, env);
        HttpResponse<String> response;
        try {
            response = service.get("/api/overview", Duration.ofSeconds(30));
        } catch (ServiceCall.Failure e) {
            System.err.println(e.getMessage());
            return e.exitCode();
        }
        if (response.statusCode() != 200) {
            System.err.println("the service at " + service.address() + " answered " + response.statusCode() + ": "
                    + service.masked(response.body()) + ApiToken.hint(response.statusCode(), env));
            return 3;
        }
        System.out.print(json ? response.body() + "\n" : StatusView.render(Json.read(response.body(),
                JsonNode.class)));
        return 0;
    }
}
