package io.vectorsync.app.http;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /metrics}: the Prometheus scrape of this process's own registry, whatever roles it runs (a sink-only
 * process exports its sink meters, a connector-only one its capture meters). 404 when the process keeps no
 * Prometheus registry.
 */
public final class MetricsEndpoint {
    /** The Prometheus text exposition format that PrometheusMeterRegistry.scrape() writes. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Optional<Supplier<String>> scrape;

    /** @param scrape the registry's scrape; empty when this process keeps no Prometheus registry */
    public MetricsEndpoint(Optional<Supplier<String>> scrape) {
        this.scrape = scrape;
    }

    Reply answer() {
        return scrape.map(s -> new Reply(200, PROMETHEUS_TEXT, s.get().getBytes(StandardCharsets.UTF_8)))
                .orElseGet(() -> Reply.error(404, "this process keeps no Prometheus registry, so it exports no"
                        + " metrics"));
    }
}
