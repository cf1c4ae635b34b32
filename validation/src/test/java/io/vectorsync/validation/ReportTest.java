package io.vectorsync.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.model.SinkName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ReportTest {

    @Test
    void jsonHasStableSnakeCaseFieldsAndRoundTrips() {
        ValidationReport report = report();

        String json = ReportFormat.JSON.render(report);
        JsonNode root = Json.read(json, JsonNode.class);

        assertThat(names(root)).containsExactly("run_id", "full", "sample_size", "drift_max", "recheck_delay_ms",
                "started_at", "finished_at", "clean", "collections");
        JsonNode collection = root.get("collections").get(0);
        assertThat(names(collection)).containsExactly("collection", "table", "full", "source_rows", "rechecked",
                "resolved_on_recheck", "stores");
        JsonNode pgvector = collection.get("stores").get(0);
        assertThat(names(pgvector)).containsExactly("store", "checked", "matched", "match_rate", "missing",
                "orphaned", "stale", "drifted", "missing_keys", "orphaned_keys", "stale_keys", "drifted_keys");
        assertThat(pgvector.get("store").asText()).isEqualTo("pgvector");
        assertThat(pgvector.get("missing_keys").get(0).asText()).isEqualTo("2");
        assertThat(pgvector.get("match_rate").asDouble()).isCloseTo(2.0 / 6, within(1e-12));
        assertThat(root.get("clean").asBoolean()).isFalse();
        assertThat(JsonReport.read(json)).isEqualTo(report);
    }

    @Test
    void markdownShowsATableOfCountsAndEveryDifferingKeyByKind() {
        String md = ReportFormat.MARKDOWN.render(report());

        assertThat(md).startsWith("# Validation report\n")
                .contains("## docs (public.docs)")
                .contains("| store | checked | matched | match rate | missing | orphaned | stale | drifted |")
                .contains("| pgvector | 5 | 2 | 33.33% | 1 | 1 | 1 | 1 |")
                .contains("| neo4j | 5 | 5 | 100.00% | 0 | 0 | 0 | 0 |")
                .contains("  - missing (1): `2`\n")
                .contains("  - orphaned (1): ``a`b``\n")
                .contains("  - stale (1): `3`\n")
                .contains("  - drifted (1): `4`\n")
                .contains("- **neo4j**: matches the source.")
                .contains("3 re-checked, 1 matched on the second look")
                .contains("**Differences found.**");
    }

    static ValidationReport report() {
        StoreTally pgvector = new StoreTally();
        pgvector.checked("1", List.of("1"), Optional.empty());
        pgvector.checked("2", List.of("2"), Optional.of(DifferenceKind.MISSING));
        pgvector.checked("3", List.of("3"), Optional.of(DifferenceKind.STALE));
        pgvector.checked("4", List.of("4"), Optional.of(DifferenceKind.DRIFTED));
        pgvector.checked("5", List.of("5"), Optional.empty());
        pgvector.orphan("a`b", null);
        StoreTally neo4j = new StoreTally();
        for (int i = 1; i <= 5; i++) {
            neo4j.checked(Integer.toString(i), List.of(Integer.toString(i)), Optional.empty());
        }
        CollectionReport docs = new CollectionReport("docs", "public.docs", true, 5, 3, 1,
                List.of(StoreReport.of(SinkName.PGVECTOR, pgvector), StoreReport.of(SinkName.NEO4J, neo4j)));
        return new ValidationReport("run-1", true, 0, 0.001, 3000, "2025-01-01T00:00:00Z", "2025-01-01T00:01:00Z",
                false, List.of(docs));
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
