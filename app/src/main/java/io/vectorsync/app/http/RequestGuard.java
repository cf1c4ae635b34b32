package io.vectorsync.app.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import io.vectorsync.core.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Runs before an endpoint's handler: refuses a request body over the size limit (413), then, where a token is
 * required, a request without one (401, {@code WWW-Authenticate: Bearer}) or with a wrong one (403). Open endpoints
 * ({@code /health}, the dashboard's static files) get the size check only.
 */
final class RequestGuard extends Filter {
    private static final Logger LOG = LoggerFactory.getLogger(RequestGuard.class);

    private final BearerAuth auth;
    private final boolean open;
    private final int maxRequestBytes;

    RequestGuard(BearerAuth auth, boolean open, int maxRequestBytes) {
        this.auth = auth;
        this.open = open;
        this.maxRequestBytes = maxRequestBytes;
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        if (tooLarge(exchange)) {
            refuse(exchange, 413, "the request body is larger than " + maxRequestBytes
                    + " bytes (http.max.request.bytes)");
            return;
        }
        if (!open) {
            switch (auth.check(Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")))) {
                case MISSING -> {
                    exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"vectorsync\"");
                    refuse(exchange, 401, "this endpoint needs the API token: send Authorization: Bearer <token>"
                            + " (http.token)");
                    return;
                }
                case WRONG -> {
                    LOG.warn("HTTP {} {} from {} refused: wrong bearer token", exchange.getRequestMethod(),
                            exchange.getRequestURI().getPath(), exchange.getRemoteAddress());
                    refuse(exchange, 403, "the API token is wrong");
                    return;
                }
                case ALLOWED -> {
                }
            }
        }
        chain.doFilter(exchange);
    }

    @Override
    public String description() {
        return "request size limit and bearer token";
    }

    /** By the declared length, or for a chunked body by reading it up to one byte past the limit. */
    private boolean tooLarge(HttpExchange exchange) throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                return Long.parseLong(length.trim()) > maxRequestBytes;
            } catch (NumberFormatException e) {
                return true;
            }
        }
        if (exchange.getRequestHeaders().containsKey("Transfer-Encoding")) {
            InputStream body = exchange.getRequestBody();
            return body.readNBytes(maxRequestBytes + 1).length > maxRequestBytes;
        }
        return false;
    }

    private static void refuse(HttpExchange exchange, int status, String message) throws IOException {
        byte[] body = Json.write(Map.of("error", message)).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        // The body the client may still be sending is not read: close the connection rather than drain it.
        exchange.getResponseHeaders().set("Connection", "close");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
