package io.vectorsync.app.http;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK's HTTP server as every vectorsync process runs it: bound to {@code http.host}:{@code http.port}, HTTPS
 * when {@code http.tls.keystore} is set, two threads for quick answers, and each endpoint behind a
 * {@link RequestGuard} (size limit always; the bearer token unless the endpoint is open). Shared by the full
 * {@link HttpApi} and the {@link RoleHttp} of a process without the streams role, so both follow the same rules.
 */
final class HttpServing implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpConfig config;
    private final BearerAuth auth;

    HttpServing(HttpConfig config) {
        this.config = config;
        try {
            InetSocketAddress address = new InetSocketAddress(config.host(), config.port());
            if (config.tls().isPresent()) {
                HttpsServer https = HttpsServer.create(address, 0);
                https.setHttpsConfigurator(new HttpsConfigurator(ServerTls.context(config.tls().get())));
                this.server = https;
            } else {
                this.server = HttpServer.create(address, 0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve HTTP on " + config.host() + ":" + config.port() + ": "
                    + e.getMessage(), e);
        }
        // Quick answers only (health, metrics, modes, dashboard): searches are handed to their own pool.
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "vectorsync-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        this.auth = new BearerAuth(config.token());
    }

    /** An endpoint that needs the token when one is configured. */
    void guarded(String path, HttpHandler handler) {
        HttpContext context = server.createContext(path, handler);
        context.getFilters().add(new RequestGuard(auth, false, config.maxRequestBytes()));
    }

    /** An endpoint anyone may read: {@code /health}, files that hold no data. */
    void open(String path, HttpHandler handler) {
        HttpContext context = server.createContext(path, handler);
        context.getFilters().add(new RequestGuard(new BearerAuth(""), true, config.maxRequestBytes()));
    }

    void start() {
        server.start();
    }

    String scheme() {
        return config.tls().isPresent() ? "https" : "http";
    }

    String host() {
        return server.getAddress().getHostString();
    }

    /** The bound port: the configured one, or the free one picked for port 0. */
    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
