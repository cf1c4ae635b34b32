package io.vectorsync.validation;

import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.mapping.DocumentIds;
import io.vectorsync.core.model.ContentHash;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.TableId;
import io.vectorsync.core.model.TextTemplate;
import io.vectorsync.core.source.SourceDatabase;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The source side of the validator on the real PostgreSQL: keyset pages, lookups by key, orphan checks. */
@ExtendWith(LocalServers.class)
class SourceScannerIT {
    private static final List<String> TENANTS = List.of("acme|eu", "b\\s", "plain", "Zeta");
    private static Services servers;
    private static String database;

    @BeforeAll
    static void table() throws Exception {
        servers = LocalServers.get();
        database = servers.freshDatabase("scanner_it");
        try (Connection c = servers.connect(database); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE parts (tenant text, n int, title text, price money, PRIMARY KEY (tenant, n))");
            for (String t : TENANTS) {
                s.execute("INSERT INTO parts SELECT '" + t + "', g, 'part ' || g, g * 1.5 FROM generate_series(1, 9) g");
            }
            s.execute("CREATE TABLE docs (id int PRIMARY KEY, title text)");
            s.execute("INSERT INTO docs SELECT g, 'doc ' || g FROM generate_series(1, 30) g");
            s.execute("CREATE EXTENSION IF NOT EXISTS vector");
            s.execute("CREATE TABLE vecs (id int PRIMARY KEY, title text, v vector(3), a real[], d float8[], j jsonb)");
            s.execute("INSERT INTO vecs VALUES (1, 'one', '[0.1,-2.5,3]', '{0.1,-2.5,3}', '{0.1,-2.5,3}',"
                    + " '[0.1, -2.5, 3]'), (2, '', NULL, NULL, NULL, NULL), (3, 'bad', NULL, NULL, NULL, '\"x\"')");
        }
    }

    @Test
    void keysetPagesWalkACompositeKeyInTheTablesOwnOrderWithTheHashOfTheRenderedText() {
        try (SourceScanner scanner = scanner(parts())) {
            List<SourceRow> all = new ArrayList<>();
            List<String> after = null;
            int pages = 0;
            while (true) {
                List<SourceRow> page = scanner.page(after, 5);
                all.addAll(page);
                pages++;
                if (page.size() < 5) {
                    break;
                }
                after = page.get(page.size() - 1).key();
            }

            assertThat(scanner.count()).isEqualTo(36);
            assertThat(all).hasSize(36);
            assertThat(pages).isEqualTo(8);
            assertThat(all.stream().map(SourceRow::id).distinct()).hasSize(36);
            SourceRow first = all.stream().filter(r -> r.key().equals(List.of("acme|eu", "3"))).findFirst()
                    .orElseThrow();
            assertThat(first.id()).isEqualTo("acme\\|eu|3");
            assertThat(DocumentIds.parse(parts(), first.id())).containsExactly("acme|eu", "3");
            // money is read as the plain amount, as Debezium sends it
            assertThat(first.text()).isEqualTo("acme|eu/3: part 3 costs 4.50");
            assertThat(first.hash()).isEqualTo(ContentHash.sha256(first.text()));
        }
    }

    @Test
    void aSourceVectorOfEveryColumnTypeIsReadAsThePipelineReadsItAndHashedWithTheText() {
        float[] expected = {0.1f, -2.5f, 3f};
        for (String column : List.of("v", "a", "d", "j")) {
            try (SourceScanner scanner = scanner(docs("vecs").withVectorColumn(column))) {
                List<SourceRow> rows = scanner.page(null, 10);

                assertThat(rows).hasSize(3);
                assertThat(rows.get(0).sourceVector()).isTrue();
                assertThat(rows.get(0).vector()).as(column).containsExactly(expected);
                assertThat(rows.get(0).hash()).isEqualTo(ContentHash.sha256("one", expected));
                assertThat(rows.get(1).vector()).as("NULL %s", column).isNull();
                assertThat(rows.get(1).hash()).isEqualTo(ContentHash.sha256(""));
                assertThat(rows.get(2).vector()).as("unreadable or NULL %s", column).isNull();
            }
        }
    }

    @Test
    void rowsByKeySkipKeysNoRowCanHaveAndExistingNamesOnlyRealDocuments() {
        try (SourceScanner docs = scanner(docs()); SourceScanner parts = scanner(parts())) {
            Map<String, SourceRow> rows = docs.rows(List.of(List.of("3"), List.of("not-a-number"), List.of("31"),
                    List.of("30")));
            assertThat(rows).containsOnlyKeys("3", "30");
            assertThat(rows.get("3").text()).isEqualTo("doc 3");

            assertThat(docs.existing(List.of("1", "abc", "99", "30", "1|2"))).containsExactly("1", "30");
            assertThat(parts.existing(List.of("plain|2", "plain|x", "acme\\|eu|9", "acme|eu|9", "nope|1", "Zeta")))
                    .containsExactly("plain|2", "acme\\|eu|9");
            assertThat(docs.sampleKeys(7)).hasSize(7).doesNotHaveDuplicates()
                    .allSatisfy(k -> assertThat(Integer.parseInt(k.get(0))).isBetween(1, 30));
        }
    }

    @Test
    void aMissingTableOrColumnIsReportedNamingIt() {
        CollectionMapping noTable = new CollectionMapping("ghosts", TableId.parse("public.ghosts"), List.of("id"),
                TextTemplate.parse("{title}"), List.of(), Set.of(SinkName.PGVECTOR));
        CollectionMapping noColumn = new CollectionMapping("docs", TableId.parse("public.docs"), List.of("id"),
                TextTemplate.parse("{title}: {summary}"), List.of(), Set.of(SinkName.PGVECTOR));
        try (SourceScanner a = scanner(noTable); SourceScanner b = scanner(noColumn)) {
            assertThatThrownBy(() -> a.page(null, 10)).isInstanceOf(SourceSchemaException.class)
                    .hasMessageContaining("has no table public.ghosts");
            assertThatThrownBy(() -> b.page(null, 10)).isInstanceOf(SourceSchemaException.class)
                    .hasMessageContaining("table public.docs has no column [summary]; its columns are [id, title]");
        }
    }

    @Test
    void anUnreachableSourceIsNamed() {
        SourceDatabase nowhere = new SourceDatabase("127.0.0.1", 1, "none", "postgres", "");
        try (SourceScanner scanner = new SourceScanner(nowhere, docs())) {
            assertThatThrownBy(scanner::count).isInstanceOf(SourceUnavailableException.class)
                    .hasMessageContaining("in source database 127.0.0.1:1/none");
        }
    }

    private static SourceScanner scanner(CollectionMapping mapping) {
        return new SourceScanner(new SourceDatabase(servers.pgHost(), servers.pgPort(), database, "postgres", ""), mapping);
    }

    private static CollectionMapping parts() {
        return new CollectionMapping("parts", TableId.parse("public.parts"), List.of("tenant", "n"),
                TextTemplate.parse("{tenant}/{n}: {title} costs {price}"), List.of(), Set.of(SinkName.PGVECTOR));
    }

    private static CollectionMapping docs() {
        return docs("docs");
    }

    private static CollectionMapping docs(String table) {
        return new CollectionMapping(table, TableId.parse("public." + table), List.of("id"),
                TextTemplate.parse("{title}"), List.of(), Set.of(SinkName.PGVECTOR));
    }
}
