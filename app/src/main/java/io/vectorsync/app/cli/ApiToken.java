package io.vectorsync.app.cli;

import java.net.http.HttpRequest;
import java.util.Map;

/**
 * The HTTP API's bearer token for the commands that call a running service ({@code status}, {@code search}): read
 * from the environment variable {@value #VARIABLE}, never from a command-line option (which {@code ps} would show).
 */
final class ApiToken {
    static final String VARIABLE = "VECTORSYNC_HTTP_TOKEN";

    private ApiToken() {
    }

    /** The request with {@code Authorization: Bearer <token>} when the variable is set. */
    static HttpRequest.Builder authorize(HttpRequest.Builder request, Map<String, String> env) {
        String token = env.getOrDefault(VARIABLE, "").trim();
        return token.isEmpty() ? request : request.header("Authorization", "Bearer " + token);
    }

    /** What to do about a refusal, for the 401 and 403 answers; empty otherwise. */
    static String hint(int status, Map<String, String> env) {
        if (status == 401) {
            return env.getOrDefault(VARIABLE, "").isBlank()
                    ? " (the service requires its API token, http.token: export " + VARIABLE + ")" : "";
        }
        return status == 403 ? " (" + VARIABLE + " does not hold the service's http.token)" : "";
    }
}
