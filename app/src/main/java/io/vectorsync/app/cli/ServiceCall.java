package io.vectorsync.app.cli;

import io.vectorsync.core.config.CredentialMask;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * One GET to a running service's HTTP API for the commands that call it ({@code status}, {@code search}), with the
 * API token from the environment ({@link ApiToken}). Why a class: what a failure prints must never echo a secret
 * written into {@code --url} (a password in its user info, a token in its query), so every message is masked here
 * ({@link CredentialMask}), and a {@code --url} that is not a URL is refused with the parser's reason only, never
 * the text given (it may be malformed exactly where the password is). The token itself travels only in the
 * {@code Authorization} header, which no client message quotes.
 */
final class ServiceCall {
    private final String url;
    private final Map<String, String> env;

    ServiceCall(String url, Map<String, String> env) {
        this.url = url.replaceAll("/+$", "");
        this.env = env;
    }

    /** The answer to GET {@code url + pathAndQuery}. */
    HttpResponse<String> get(String pathAndQuery, Duration timeout) throws Failure, InterruptedException {
        URI uri;
        try {
            uri = new URI(url + pathAndQuery);
        } catch (URISyntaxException e) {
            throw new Failure("--url is not a URL: " + e.getReason() + " at index " + e.getIndex(), 2);
        }
        try {
            return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                    .send(ApiToken.authorize(HttpRequest.newBuilder(uri), env).timeout(timeout).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (IllegalArgumentException e) {
            throw new Failure("--url is not an http(s) URL of a host: " + CredentialMask.mask(e.getMessage()), 2);
        } catch (IOException e) {
            throw new Failure("cannot reach the vectorsync service at " + address() + ": " + describe(e), 3);
        }
    }

    /** The service's address as it may be printed. */
    String address() {
        return CredentialMask.mask(url);
    }

    /** Text from the service or about it, as it may be printed. */
    String masked(String text) {
        return CredentialMask.mask(text);
    }

    /** The exception's message, masked; its class where it has none (a refused connection has none). */
    private String describe(IOException e) {
        String message = e.getMessage() != null ? e.getMessage()
                : e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : null;
        return message == null ? e.getClass().getSimpleName() : CredentialMask.mask(message) + " ("
                + e.getClass().getSimpleName() + ")";
    }

    /** The call could not be made or answered: a printable, masked message and the command's exit code. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        private final int exitCode;

        Failure(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }

        int exitCode() {
            return exitCode;
        }
    }
}
