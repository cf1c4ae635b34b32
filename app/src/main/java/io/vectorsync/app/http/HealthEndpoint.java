package io.vectorsync.app.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /health} of any process, whatever roles it runs: 200 UP while every part runs, 200 DEGRADED with the
 * warnings an operator must act on (a restart would not help, so a liveness probe must not cause one), 503 DOWN with
 * the failure. {@code parts} names this process's own parts and their state ({@code connector}, {@code sink.pgvector},
 * … as {@code RUNNING} or {@code FAILED: <reason>}), so a probe or an operator sees which part of which process is
 * down; it is left out when the process names none. Needs no search service, so a connector- or sink-only process
 * serves it too.
 */
public final class HealthEndpoint {
    private final Supplier<Optional<String>> failure;
    private final Supplier<List<String>> warnings;
    private final Supplier<Map<String, String>> parts;

    public HealthEndpoint(Supplier<Optional<String>> failure, Supplier<List<String>> warnings,
                          Supplier<Map<String, String>> parts) {
        this.failure = failure;
        this.warnings = warnings;
        this.parts = parts;
    }

    Reply answer() {
        Map<String, Object> body = new LinkedHashMap<>();
        Optional<String> failed = failure.get();
        List<String> warned = failed.isPresent() ? List.of() : warnings.get();
        body.put("status", failed.isPresent() ? "DOWN" : warned.isEmpty() ? "UP" : "DEGRADED");
        failed.ifPresent(f -> body.put("failure", f));
        if (!warned.isEmpty()) {
            body.put("warnings", warned);
        }
        Map<String, String> named = parts.get();
        if (!named.isEmpty()) {
            body.put("parts", named);
        }
        return Reply.json(failed.isPresent() ? 503 : 200, body);
    }
}
