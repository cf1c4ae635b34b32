package io.vectorsync.app.http;

import com.sun.net.httpserver.HttpExchange;
import io.vectorsync.app.dashboard.DashboardAssets;
import io.vectorsync.app.search.SearchParameters;
import io.vectorsync.app.search.SearchService;
import io.vectorsync.core.config.CredentialMask;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.sink.api.SinkUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP API of a process running the streams role, on the JDK's own server ({@link HttpServing}):
 * {@code GET /v1/collections/{c}/search?q=…&k=…} (with {@code mode}, {@code fusion}, {@code vector.weight},
 * {@code store}, {@code min.score}: {@link SearchParameters}), {@code GET /v1/modes}, the dashboard at {@code /} with its figures
 * at {@code GET /api/overview}, the Prometheus scrape at {@code GET /metrics} ({@link MetricsEndpoint}) and
 * {@code GET /health} ({@link HealthEndpoint}: 200 UP while every part runs, 200 DEGRADED with warnings an operator
 * must act on, such as a captured table renamed or dropped, 503 DOWN with the failure). A process without the streams
 * role serves only the last two ({@link RoleHttp}). Errors are JSON {@code {"error": "…"}}
 * with 400 (bad request), 404 (unknown collection or path), 405, or 503 (the serving store is unavailable). Error
 * bodies pass through the secret mask, since they quote store and driver messages; a 500 answers only an error id,
 * under which the failure is logged, masked too.
 *
 * <p>Searches run on a {@link SearchPool} of their own, so a search waiting on a hung store (each bounded by its
 * store's timeout) never holds up {@code /health}, {@code /metrics} or the dashboard; when the pool is full a search
 * is answered 503 at once.
 *
 * <p>With {@code http.token} set, every endpoint but {@code /health} and the dashboard's static files (which hold no
 * data) needs {@code Authorization: Bearer <token>}: 401 without one, 403 with a wrong one ({@link RequestGuard}).
 * A request body over {@code http.max.request.bytes} is answered 413, a search text over {@code http.max.query.chars}
 * 400. With {@code http.tls.keystore} set, the server speaks HTTPS only.
 */
public final class HttpApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final Pattern SEARCH = Pattern.compile("/v1/collections/([A-Za-z_][A-Za-z0-9_]*)/search");
    private static final String JSON = Reply.JSON;

    private final HttpServing server;
    private final SearchPool searches = new SearchPool();
    private final UnaryOperator<String> mask;
    private final HttpConfig config;

    /** With credentials in URLs masked in error bodies and logs ({@link CredentialMask}). */
    public HttpApi(HttpConfig config, SearchService search, Supplier<Map<String, ModeStatus>> modes,
                   Monitoring monitoring) {
        this(config, search, modes, monitoring, CredentialMask::mask);
    }

    /** @param mask hides secrets in error bodies and in what is logged of a failure */
    public HttpApi(HttpConfig config, SearchService search, Supplier<Map<String, ModeStatus>> modes,
                   Monitoring monitoring, UnaryOperator<String> mask) {
        this.mask = mask;
        this.config = config;
        this.server = new HttpServing(config);
        HealthEndpoint health = new HealthEndpoint(monitoring.failure(), monitoring.warnings(), monitoring.parts());
        MetricsEndpoint metrics = new MetricsEndpoint(monitoring.metrics());
        int maxQueryChars = config.maxQueryChars();
        server.guarded("/v1/collections/", exchange -> {
            if (!searches.offer(() -> handleQuietly(exchange, () -> search(exchange, search, maxQueryChars)))) {
                handle(exchange, () -> json(503, error("too many searches in flight (" + SearchPool.THREADS
                        + " running, " + SearchPool.QUEUE + " waiting): try again shortly")));
            }
        });
        server.guarded("/v1/modes", exchange -> handle(exchange, () -> json(200, modes.get())));
        server.guarded("/api/overview", exchange -> handle(exchange, () -> exactly(exchange, "/api/overview",
                () -> json(200, monitoring.overview().get()))));
        server.guarded("/metrics", exchange -> handle(exchange, () -> exactly(exchange, "/metrics",
                metrics::answer)));
        server.open("/health", exchange -> handle(exchange, () -> exactly(exchange, "/health", health::answer)));
        // The page and its script and style hold no data: a browser must load them to ask for the token.
        DashboardAssets assets = new DashboardAssets();
        server.open("/", exchange -> handle(exchange, () -> assets.find(exchange.getRequestURI().getPath())
                .map(a -> new Reply(200, a.contentType(), a.body()))
                .orElseGet(() -> noSuchPath(exchange))));
    }

    public void start() {
        server.start();
        LOG.info("HTTP API on {}://{}:{}/v1/, dashboard at /, metrics at /metrics; {}",
                server.scheme(), server.host(), port(),
                config.requiresToken() ? "a bearer token is required (http.token)" : "no token is required");
    }

    /** The bound port: the configured one, or the free one picked for port 0. */
    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
        searches.close();
    }

    private static Reply json(int status, Object body) {
        return Reply.json(status, body);
    }

    private static Reply noSuchPath(HttpExchange exchange) {
        return Reply.noSuchPath(exchange);
    }

    /** A context also receives every longer path that starts with its own; those are not this endpoint. */
    private static Reply exactly(HttpExchange exchange, String path, Handler handler)
            throws SinkUnavailableException {
        return exchange.getRequestURI().getPath().equals(path) ? handler.handle() : noSuchPath(exchange);
    }

    @FunctionalInterface
    private interface Handler {
        Reply handle() throws SinkUnavailableException;
    }

    private static Reply search(HttpExchange exchange, SearchService search, int maxQueryChars)
            throws SinkUnavailableException {
        Matcher m = SEARCH.matcher(exchange.getRequestURI().getPath());
        if (!m.matches()) {
            return json(404, error("no such path: " + exchange.getRequestURI().getPath()
                    + " (expected /v1/collections/{collection}/search?q=…&k=…&mode=vector|keyword|hybrid)"));
        }
        Map<String, String> params = query(exchange.getRequestURI());
        String q = params.get("q");
        if (q != null && q.length() > maxQueryChars) {
            return json(400, error("q is " + q.length() + " characters long; at most " + maxQueryChars
                    + " are accepted (http.max.query.chars)"));
        }
        return json(200, search.search(SearchParameters.parse(m.group(1), params)));
    }

    /** {@link #handle} on a thread of the search pool, where nobody above would close a failed exchange. */
    private void handleQuietly(HttpExchange exchange, Handler handler) {
        try {
            handle(exchange, handler);
        } catch (IOException | RuntimeException e) {
            LOG.debug("HTTP {} {}: could not answer: {}", exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(), e.toString());
            exchange.close();
        }
    }

    private void handle(HttpExchange exchange, Handler handler) throws IOException {
        Reply response;
        try {
            if (!"GET".equals(exchange.getRequestMethod())) {
                response = json(405, error("only GET is served, not " + exchange.getRequestMethod()));
            } else {
                response = handler.handle();
            }
        } catch (SearchService.BadSearchException e) {
            response = json(e.notFound() ? 404 : 400, error(e.getMessage()));
        } catch (SinkUnavailableException e) {
            response = json(503, error(e.getMessage()));
        } catch (RuntimeException e) {
            // The exception's text may quote a URL with its password: the client gets an id, the log the masked text.
            String id = String.format("%012x", ThreadLocalRandom.current().nextLong() & 0xffff_ffff_ffffL);
            LOG.warn("HTTP {} {} failed, error id {}: {}", exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(), id, mask.apply(stackTrace(e)));
            response = json(500, error("internal error, id " + id + ": see the server log"));
        }
        // Errors, and the operational answers (/health, /api/overview, modes) whose warnings may quote a driver's
        // message; search results are documents and stay as stored.
        if ((response.status() >= 400 || !exchange.getRequestURI().getPath().startsWith("/v1/collections/"))
                && JSON.equals(response.contentType())) {
            response = response.masked(mask);
        }
        response.send(exchange);
    }

    private static String stackTrace(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    private static Map<String, String> error(String message) {
        return Map.of("error", message);
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> params = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.putIfAbsent(key, value);
        }
        return params;
    }
}
