package io.vectorsync.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vectorsync.core.Quantities;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The service's overview ({@code GET /api/overview}) as text for a terminal: sinks, collections with their gate, DLQ. */
final class StatusView {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private static final long STALE_FIGURES_MS = 30_000;

    private StatusView() {
    }

    static String render(JsonNode overview) {
        StringBuilder out = new StringBuilder();
        out.append("pipeline ").append(overview.path("pipeline").asText()).append(", at ")
                .append(TIME.format(Instant.ofEpochMilli(overview.path("generated_at_ms").asLong()))).append('\n');
        for (JsonNode warning : overview.path("warnings")) {
            out.append("NEEDS ATTENTION: ").append(warning.asText()).append('\n');
        }
        String sinkRow = "%-10s %-8s %10s %10s %10s %14s %12s %11s%n";
        out.append(String.format(Locale.ROOT, sinkRow, "SINK", "STATE", "E2E LAG", "P50", "P99", "CONSUMER LAG",
                "SLOT LAG", "APPLIED/S"));
        for (JsonNode sink : overview.path("sinks")) {
            JsonNode latest = sink.path("latest");
            JsonNode window = sink.path("window");
            out.append(String.format(Locale.ROOT, sinkRow, sink.path("sink").asText(),
                    latest.isMissingNode() || latest.isNull() ? "-" : latest.path("state").asText(),
                    millis(latest.path("e2e_lag_ms")), millis(window.path("p50_ms")), millis(window.path("p99_ms")),
                    count(latest.path("consumer_lag_records")), bytes(latest.path("slot_lag_bytes")),
                    sink.path("applied_per_second").isNumber()
                            ? String.format(Locale.ROOT, "%.1f", sink.path("applied_per_second").asDouble()) : "-"));
            String problem = latest.path("problem").asText("");
            if (!problem.isEmpty() && !latest.path("problem").isNull()) {
                out.append("  ").append(sink.path("sink").asText()).append(": ").append(problem).append('\n');
            }
        }
        snapshots(overview.path("snapshots"), out);
        for (JsonNode c : overview.path("collections")) {
            out.append('\n').append("collection ").append(c.path("collection").asText()).append(": ");
            if (!c.path("migrating").asBoolean()) {
                out.append("not migrating, written to ").append(join(c.path("sinks"))).append('\n');
                continue;
            }
            out.append(c.path("mode").asText("-")).append(", epoch ").append(c.path("epoch").asText("-"))
                    .append(", ").append(c.path("legacy").asText()).append(" -> ").append(c.path("target").asText())
                    .append('\n');
            JsonNode backfill = c.path("backfill");
            if (backfill.isObject()) {
                long total = backfill.path("rows_total").asLong();
                out.append("  backfill of ").append(backfill.path("sink").asText()).append(": ")
                        .append(backfill.path("rows_done").asLong()).append('/').append(total < 0 ? "?" : total)
                        .append(" rows, ").append(backfill.path("state").asText()).append('\n');
            }
            JsonNode gate = c.path("gate");
            if (gate.isObject()) {
                out.append("  cutover gate: ").append(gate.path("open").asBoolean() ? "OPEN" : "CLOSED").append('\n');
                for (JsonNode condition : gate.path("conditions")) {
                    out.append("    ").append(condition.path("passed").asBoolean() ? "ok   " : "FAIL ")
                            .append(condition.path("name").asText()).append(": ")
                            .append(condition.path("value").asText()).append(" (limit ")
                            .append(condition.path("threshold").asText()).append(")\n");
                }
            }
        }
        long dlq = overview.path("dlq_records").asLong(-1);
        out.append('\n').append("dead-letter topic: ")
                .append(dlq < 0 ? "unknown (" + overview.path("dlq_problem").asText() + ")" : Quantities.records(dlq))
                .append('\n');
        return out.toString();
    }

    /** Each table's initial snapshot: rows done of expected, rate and ETA while it runs; how many once done. */
    private static void snapshots(JsonNode snapshots, StringBuilder out) {
        if (!snapshots.isArray() || snapshots.isEmpty()) {
            return;
        }
        out.append('\n');
        for (JsonNode s : snapshots) {
            out.append("initial snapshot of ").append(s.path("table").asText()).append(": ")
                    .append(s.path("rows_done").asLong());
            if ("COMPLETED".equals(s.path("state").asText())) {
                out.append(" rows, COMPLETED\n");
                continue;
            }
            long expected = s.path("rows_expected").asLong(-1);
            out.append(" of ").append(expected < 0 ? "?" : "~" + expected).append(" rows");
            if (s.path("fraction").isNumber()) {
                out.append(String.format(Locale.ROOT, " (%.0f%%)", s.path("fraction").asDouble() * 100));
            }
            out.append(String.format(Locale.ROOT, ", %.1f rows/s, ETA ", s.path("rows_per_second").asDouble()))
                    .append(s.path("eta_ms").isNumber() ? millis(s.path("eta_ms")) : "unknown").append(", RUNNING");
            long age = s.path("age_ms").asLong();
            if (age >= STALE_FIGURES_MS) {
                // The connector publishes every second while rows come: old figures mean it stopped sending them.
                out.append(" (figures ").append(millis(s.path("age_ms"))).append(" old)");
            }
            out.append('\n');
        }
    }

    private static String join(JsonNode array) {
        StringBuilder s = new StringBuilder();
        array.forEach(n -> s.append(s.length() == 0 ? "" : ", ").append(n.asText()));
        return s.toString();
    }

    private static String millis(JsonNode ms) {
        if (!ms.isNumber() || ms.asLong() < 0) {
            return "-";
        }
        long v = ms.asLong();
        return v < 1000 ? v + " ms" : String.format(Locale.ROOT, "%.1f s", v / 1000.0);
    }

    private static String count(JsonNode n) {
        return !n.isNumber() || n.asLong() < 0 ? "-" : Quantities.records(n.asLong());
    }

    private static String bytes(JsonNode n) {
        return !n.isNumber() || n.asLong() < 0 ? "-" : Quantities.bytes(n.asLong());
    }
}
