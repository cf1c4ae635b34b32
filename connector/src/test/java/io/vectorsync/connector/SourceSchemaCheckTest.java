package io.vectorsync.connector;

import io.vectorsync.connector.SourceSchemaCheck.TableShape;
import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.config.ConfigProblem;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.TableId;
import io.vectorsync.core.model.TextTemplate;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SourceSchemaCheckTest {
    private static final TableShape DOCS = new TableShape(List.of("id", "title", "body", "lang"), List.of("id"));

    private static CollectionMapping mapping(List<String> ids, String template, List<String> metadata) {
        return new CollectionMapping("docs", new TableId("public", "docs"), ids, TextTemplate.parse(template),
                metadata, Set.of(SinkName.PGVECTOR));
    }

    @Test
    void aMappingThatFitsTheTableHasNoProblems() {
        assertThat(SourceSchemaCheck.check(mapping(List.of("id"), "{title}: {body}", List.of("lang")),
                Optional.of(DOCS), "shop")).isEmpty();
    }

    @Test
    void aMissingTableIsOneProblemOnTheTableKey() {
        assertThat(SourceSchemaCheck.check(mapping(List.of("id"), "{title}", List.of()), Optional.empty(), "shop"))
                .containsExactly(new ConfigProblem("collections.docs.table", "public.docs",
                        "database 'shop' has no table public.docs"));
    }

    @Test
    void everyUnknownColumnIsReportedOnItsKey() {
        List<ConfigProblem> problems = SourceSchemaCheck.check(
                mapping(List.of("doc_id"), "{title}: {summary}", List.of("lang", "author")), Optional.of(DOCS),
                "shop");

        String columns = "; its columns are [id, title, body, lang]";
        assertThat(problems).containsExactly(
                new ConfigProblem("collections.docs.id", "doc_id", "table public.docs has no such column" + columns),
                new ConfigProblem("collections.docs.template", "{title}: {summary}",
                        "it reads column 'summary' but table public.docs has no such column" + columns),
                new ConfigProblem("collections.docs.metadata", "author",
                        "table public.docs has no such column" + columns));
    }

    @Test
    void idColumnsMustBeExactlyThePrimaryKey() {
        assertThat(SourceSchemaCheck.check(mapping(List.of("id", "lang"), "{title}", List.of()),
                Optional.of(DOCS), "shop"))
                .containsExactly(new ConfigProblem("collections.docs.id", "id,lang",
                        "it must name exactly the primary key columns of table public.docs, which are [id]"));
    }

    @Test
    void compositeKeyMayBeNamedInAnyOrder() {
        TableShape composite = new TableShape(List.of("tenant", "id", "title"), List.of("tenant", "id"));

        assertThat(SourceSchemaCheck.check(mapping(List.of("id", "tenant"), "{title}", List.of()),
                Optional.of(composite), "shop")).isEmpty();
    }

    @Test
    void aTableWithoutPrimaryKeyIsAProblem() {
        TableShape noKey = new TableShape(List.of("id", "title"), List.of());

        assertThat(SourceSchemaCheck.check(mapping(List.of("id"), "{title}", List.of()), Optional.of(noKey),
                "shop")).containsExactly(new ConfigProblem("collections.docs.id", "id",
                "table public.docs has no primary key; change events are keyed by it, so add one on these columns"));
    }

    @Test
    void aVectorColumnMustExistBeOfAVectorTypeAndAllButJsonNeedFullReplicaIdentity() {
        Map<String, String> types = Map.of("id", "integer", "title", "text", "emb", "vector(1536)",
                "arr", "real[]", "js", "jsonb", "label", "text");
        List<String> columns = List.of("id", "title", "emb", "arr", "js", "label");
        TableShape full = new TableShape(columns, List.of("id"), types, true);
        TableShape defaultIdentity = new TableShape(columns, List.of("id"), types, false);
        CollectionMapping base = mapping(List.of("id"), "{title}", List.of());

        assertThat(SourceSchemaCheck.check(base.withVectorColumn("emb"), Optional.of(full), "shop")).isEmpty();
        assertThat(SourceSchemaCheck.check(base.withVectorColumn("arr"), Optional.of(full), "shop")).isEmpty();
        assertThat(SourceSchemaCheck.check(base.withVectorColumn("js"), Optional.of(defaultIdentity), "shop"))
                .isEmpty();
        assertThat(SourceSchemaCheck.check(base.withVectorColumn("emb"), Optional.of(defaultIdentity), "shop"))
                .containsExactly(new ConfigProblem("collections.docs.vector", "emb", "column 'emb' is of type"
                        + " vector(1536): Debezium sends an unchanged TOASTed value of it as NULL, so an update that"
                        + " leaves the vector alone would lose it; run ALTER TABLE public.docs REPLICA IDENTITY FULL"));
        assertThat(SourceSchemaCheck.check(base.withVectorColumn("arr"), Optional.of(defaultIdentity), "shop"))
                .extracting(ConfigProblem::message).singleElement().asString()
                .startsWith("column 'arr' is of type real[]: Debezium sends an unchanged TOASTed value");
        assertThat(SourceSchemaCheck.check(base.withVectorColumn("label"), Optional.of(full), "shop"))
                .containsExactly(new ConfigProblem("collections.docs.vector", "label", "column 'label' of table"
                        + " public.docs is of type text; a source vector must be a pgvector vector or halfvec, real[],"
                        + " double precision[], json or jsonb"));
        assertThat(SourceSchemaCheck.check(base.withVectorColumn("embedding"), Optional.of(full), "shop"))
                .containsExactly(new ConfigProblem("collections.docs.vector", "embedding", "table public.docs has"
                        + " no such column; its columns are [id, title, emb, arr, js, label]"));
    }

    @Test
    void walLevelMustBeLogical() {
        assertThat(SourceSchemaCheck.checkWalLevel("logical", "db:5432/shop")).isEmpty();
        assertThat(SourceSchemaCheck.checkWalLevel("replica", "db:5432/shop")).contains(new ConfigProblem(
                "source.host", "db:5432/shop", "the server runs with wal_level = 'replica' but change capture needs"
                + " logical decoding: set wal_level = logical in postgresql.conf (or ALTER SYSTEM SET wal_level ="
                + " logical) and restart PostgreSQL"));
    }
}
