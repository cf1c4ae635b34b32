package io.vectorsync.app.config.init;

import io.vectorsync.app.config.AppConfigLoader;
import io.vectorsync.app.config.init.StarterConfig.Draft;
import io.vectorsync.app.config.init.StarterConfig.Stores;
import io.vectorsync.connector.catalog.CatalogColumn;
import io.vectorsync.connector.catalog.CatalogTable;
import io.vectorsync.core.model.TableId;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class StarterConfigTest {
    private static final CatalogColumn ID = new CatalogColumn("id", "integer", "int4", 'N');
    private static final Set<TableId> NONE = Set.of();

    private static CatalogTable articles() {
        return new CatalogTable("public", "articles", List.of(ID,
                new CatalogColumn("title", "text", "text", 'S'),
                new CatalogColumn("status", "character varying(20)", "varchar", 'S'),
                new CatalogColumn("body", "character varying", "varchar", 'S'),
                new CatalogColumn("author_id", "bigint", "int8", 'N'),
                new CatalogColumn("tags", "text[]", "_text", 'A'),
                new CatalogColumn("extra", "jsonb", "jsonb", 'U'),
                new CatalogColumn("photo", "bytea", "bytea", 'U'),
                new CatalogColumn("embedding", "vector(384)", "vector", 'U')), List.of("id"), 1234, false);
    }

    @Test
    void longTextMakesTheTemplateShortStringsAndOtherPlainTypesMetadataAndTheRestIsLeftOutAndSaidSo() {
        Draft draft = StarterConfig.draft(List.of(articles()), Map.of(), Stores.sinks("pgvector,neo4j"), NONE, "");

        assertThat(draft.settings()).containsExactly(
                Map.entry("collections.articles.table", "public.articles"),
                Map.entry("collections.articles.id", "id"),
                Map.entry("collections.articles.template", "{title}: {body}"),
                Map.entry("collections.articles.metadata", "status,author_id,tags,extra"),
                Map.entry("collections.articles.sinks", "pgvector,neo4j"));
        assertThat(draft.text()).contains("# public.articles: about 1,234 rows (planner estimate); primary key (id)",
                "# left out: photo (bytea), embedding (vector(384))");
    }

    @Test
    void tablesWithoutAKeyOrTextOrAPlainNameOrOwnedByTheConnectorAreNotMappedAndEachReasonIsWritten() {
        List<CatalogTable> tables = List.of(
                new CatalogTable("public", "logs", List.of(new CatalogColumn("line", "text", "text", 'S')),
                        List.of(), 10, true),
                new CatalogTable("public", "counters", List.of(ID, new CatalogColumn("n", "bigint", "int8", 'N')),
                        List.of("id"), 3, true),
                new CatalogTable("public", "Mixed-Case", List.of(ID, new CatalogColumn("t", "text", "text", 'S')),
                        List.of("id"), 3, true),
                new CatalogTable("public", "vectorsync_signal", List.of(new CatalogColumn("id", "text", "varchar",
                        'S'), new CatalogColumn("data", "text", "text", 'S')), List.of("id"), 0, true));

        Draft draft = StarterConfig.draft(tables, Map.of(), Stores.sinks("pgvector"),
                Set.of(new TableId("public", "vectorsync_signal")), "");

        assertThat(draft.mapped()).isZero();
        assertThat(draft.settings()).isEmpty();
        assertThat(draft.text()).contains("#   public.logs: no primary key (documents are keyed by it)",
                "#   public.counters: no text column to embed",
                "#   public.Mixed-Case: its name is not a plain identifier",
                "#   public.vectorsync_signal: the connector's own signal or heartbeat table");
    }

    @Test
    void onlyShortStringsStillMakeATemplateAndACompositeKeyIsKeptInOrder() {
        CatalogTable t = new CatalogTable("shop", "items", List.of(
                new CatalogColumn("sku", "character varying(16)", "varchar", 'S'),
                new CatalogColumn("region", "character(2)", "bpchar", 'S'),
                new CatalogColumn("name", "character varying(40)", "varchar", 'S')), List.of("region", "sku"), 5,
                true);

        Draft draft = StarterConfig.draft(List.of(t), Map.of(), Stores.migration("pgvector", "milvus"), NONE, "");

        assertThat(draft.settings()).containsEntry("collections.items.id", "region,sku")
                .containsEntry("collections.items.template", "{name}")
                .containsEntry("collections.items.legacy", "pgvector")
                .containsEntry("collections.items.target", "milvus")
                .doesNotContainKey("collections.items.metadata");
        assertThat(draft.text()).contains("# shop.items: 5 rows; primary key (region, sku)");
    }

    @Test
    void aTableNameSeenInTwoSchemasGetsItsSchemaInTheSecondCollectionName() {
        CatalogTable a = new CatalogTable("public", "notes", List.of(ID, new CatalogColumn("t", "text", "text",
                'S')), List.of("id"), 1, true);
        CatalogTable b = new CatalogTable("archive", "notes", a.columns(), List.of("id"), 1, true);

        Draft draft = StarterConfig.draft(List.of(a, b), Map.of(), Stores.sinks("pgvector"), NONE, "");

        assertThat(draft.outcomes()).extracting(StarterConfig.Outcome::collection)
                .containsExactly("notes", "archive_notes");
    }

    @Test
    void theTextReadsBackAsTheSettingsItHoldsCarriedKeysFirst() throws Exception {
        Map<String, String> carried = new LinkedHashMap<>();
        carried.put("source.host", "db.internal");
        carried.put("pipeline.name", " leading blank\\and backslash");
        Draft draft = StarterConfig.draft(List.of(articles()), carried, Stores.sinks("pgvector"), NONE,
                "# header\n");

        assertThat(draft.text()).startsWith("# header\n\nsource.host=db.internal\n");
        assertThat(AppConfigLoader.read(new StringReader(draft.text()))).isEqualTo(draft.settings());
        assertThat(draft.settings()).containsEntry("pipeline.name", " leading blank\\and backslash");
    }

    @Test
    void rowCountsSayWhetherTheyAreExactEstimatedCappedOrUnknown() {
        assertThat(StarterConfig.rows(new CatalogTable("s", "t", List.of(), List.of(), 1, true))).isEqualTo("1 row");
        assertThat(StarterConfig.rows(new CatalogTable("s", "t", List.of(), List.of(), 1_000_001, true)))
                .isEqualTo("more than 1,000,000 rows");
        assertThat(StarterConfig.rows(new CatalogTable("s", "t", List.of(), List.of(), -1, false)))
                .isEqualTo("row count unknown");
        assertThat(StarterConfig.rows(new CatalogTable("s", "t", List.of(), List.of(), 0, false)))
                .isEqualTo("about 0 rows (planner estimate)");
    }
}
