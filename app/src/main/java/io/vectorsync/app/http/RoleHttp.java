package io.vectorsync.app.http;

import com.sun.net.httpserver.HttpExchange;
import io.vectorsync.core.config.CredentialMask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The HTTP server of a process that runs no streams role (only {@code connector}, only {@code sink}, or both):
 * {@code GET /health} (open) with this process's own parts and {@code GET /metrics} (token rules as in
 * {@link HttpApi}) with its own meters, on {@code http.port}. Search, modes and the dashboard need the search
 * service, the gate and the mode controller, which the streams role runs: every other path is answered 404 naming
 * the role that serves it, so an operator who points a browser or a client at the wrong pod is told where to go.
 */
public final class RoleHttp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RoleHttp.class);

    private final HttpServing server;
    private final String roles;
    private final UnaryOperator<String> mask;

    /** @param roles what this process runs, as said in answers and logs (e.g. {@code "sink"}) */
    public RoleHttp(HttpConfig config, String roles, HealthEndpoint health, MetricsEndpoint metrics,
                    UnaryOperator<String> mask) {
        this.server = new HttpServing(config);
        this.roles = roles;
        this.mask = mask;
        server.open("/health", exchange -> answer(exchange, "/health", health::answer));
        server.guarded("/metrics", exchange -> answer(exchange, "/metrics", metrics::answer));
        // The refusal holds no data: answered without a token, like the dashboard's files on the streams role.
        server.open("/", exchange -> answer(exchange, null, () -> elsewhere(exchange)));
    }

    /** With credentials in URLs masked ({@link CredentialMask}). */
    public RoleHttp(HttpConfig config, String roles, HealthEndpoint health, MetricsEndpoint metrics) {
        this(config, roles, health, metrics, CredentialMask::mask);
    }

    private Reply elsewhere(HttpExchange exchange) {
        return Reply.error(404, exchange.getRequestURI().getPath() + " is served by a process running the streams"
                + " role (vectorsync streams, or vectorsync run); this process runs " + roles
                + " and serves only /health and /metrics");
    }

    private void answer(HttpExchange exchange, String exactPath, Supplier<Reply> reply) throws IOException {
        try {
            Reply r;
            if (!"GET".equals(exchange.getRequestMethod())) {
                r = Reply.error(405, "only GET is served, not " + exchange.getRequestMethod());
            } else if (exactPath != null && !exchange.getRequestURI().getPath().equals(exactPath)) {
                r = elsewhere(exchange);
            } else {
                r = reply.get();
            }
            r.masked(mask).send(exchange);
        } finally {
            exchange.close();
        }
    }

    public void start() {
        server.start();
        LOG.info("HTTP on {}://{}:{}: /health and /metrics of this {} process; search, modes and the dashboard are"
                + " served by the streams role", server.scheme(), server.host(), port(), roles);
    }

    /** The bound port: the configured one, or the free one picked for port 0. */
    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }
}
