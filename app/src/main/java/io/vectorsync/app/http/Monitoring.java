package io.vectorsync.app.http;

import io.vectorsync.app.dashboard.Overview;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the HTTP API serves besides search and modes.
 *
 * @param metrics  the Prometheus scrape for {@code GET /metrics}; empty when this process keeps no Prometheus registry
 * @param overview the dashboard's figures for {@code GET /api/overview}
 * @param failure  the first failure of any part of the process, for {@code GET /health}
 * @param warnings what an operator must act on although every part runs, for {@code GET /health} (DEGRADED)
 * @param parts    this process's parts and their state, for {@code GET /health} ({@link HealthEndpoint})
 */
public record Monitoring(Optional<Supplier<String>> metrics, Supplier<Overview> overview,
                         Supplier<Optional<String>> failure, Supplier<List<String>> warnings,
                         Supplier<Map<String, String>> parts) {

    /** Without named parts: for tests of the API alone. */
    public Monitoring(Optional<Supplier<String>> metrics, Supplier<Overview> overview,
                      Supplier<Optional<String>> failure, Supplier<List<String>> warnings) {
        this(metrics, overview, failure, warnings, Map::of);
    }
}
