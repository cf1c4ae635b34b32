package io.vectorsync.core.config;

import io.vectorsync.core.model.SinkName;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MappingConfigTest {

    @Test
    void relationsAreParsedAndTheirColumnsCarriedAsMetadata() {
        Map<String, String> raw = articles();
        raw.put("collections.articles.metadata", "category");
        raw.put("collections.articles.relations", "author_id->AUTHORED_BY:Author, topic_id -> ABOUT : Topic");

        CollectionMapping mapping = read(raw).collections().get(0);

        assertThat(mapping.relations()).containsExactly(new Relation("author_id", "AUTHORED_BY", "Author"),
                new Relation("topic_id", "ABOUT", "Topic"));
        assertThat(mapping.carriedColumns()).containsExactly("category", "author_id", "topic_id");
        assertThat(mapping.columns()).contains("author_id", "topic_id");
    }

    @Test
    void aRelationColumnAlsoListedAsMetadataIsCarriedOnce() {
        Map<String, String> raw = articles();
        raw.put("collections.articles.metadata", "author_id,category");
        raw.put("collections.articles.relations", "author_id->AUTHORED_BY:Author");

        assertThat(read(raw).collections().get(0).carriedColumns()).containsExactly("author_id", "category");
    }

    @Test
    void everyBadRelationIsReportedWithItsKeyAndValue() {
        Map<String, String> raw = articles();
        raw.put("collections.articles.relations", "author_id,topic id->ABOUT:Topic,a->B:C,a->D:E,x->TYPE:bad-label");

        assertThatThrownBy(() -> read(raw)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("4 problems")
                .hasMessageContaining("'collections.articles.relations' was 'author_id' but a relation must look like"
                        + " column->TYPE:Label, e.g. author_id->AUTHORED_BY:Author")
                .hasMessageContaining("'collections.articles.relations' was 'topic id->ABOUT:Topic' but a relation"
                        + " must look like column->TYPE:Label")
                .hasMessageContaining("'collections.articles.relations' was 'a->D:E' but column 'a' already has a"
                        + " relation")
                .hasMessageContaining("'collections.articles.relations' was 'x->TYPE:bad-label' but the label"
                        + " 'bad-label' must match [A-Za-z_][A-Za-z0-9_]*");
    }

    @Test
    void noRelationsByDefault() {
        assertThat(read(articles()).collections().get(0).relations()).isEmpty();
        assertThat(Relation.parse("author_id->AUTHORED_BY:Author")).hasToString("author_id->AUTHORED_BY:Author");
    }

    @Test
    void aMigrationNamesItsLegacyAndTargetAndTheyBecomeTheSinks() {
        Map<String, String> raw = articles();
        raw.put("collections.articles.legacy", "pgvector");
        raw.put("collections.articles.target", "milvus");

        CollectionMapping mapping = read(raw).collections().get(0);

        assertThat(mapping.migration()).contains(new Migration(SinkName.PGVECTOR, SinkName.MILVUS));
        assertThat(mapping.sinks()).containsExactlyInAnyOrder(SinkName.PGVECTOR, SinkName.MILVUS);
        assertThat(read(raw).migrations()).containsOnlyKeys("articles");
        assertThat(read(articles()).collections().get(0).migration()).isEmpty();
    }

    @Test
    void everyBadMigrationKeyIsReported() {
        Map<String, String> raw = articles();
        raw.put("collections.articles.target", "milvus");
        raw.put("collections.articles.sinks", "pgvector");
        raw.put("collections.books.table", "public.books");
        raw.put("collections.books.id", "id");
        raw.put("collections.books.template", "{title}");
        raw.put("collections.books.legacy", "neo4j");
        raw.put("collections.books.target", "neo4j");
        raw.put("collections.films.table", "public.films");
        raw.put("collections.films.id", "id");
        raw.put("collections.films.template", "{title}");
        raw.put("collections.films.legacy", "qdrant");
        raw.put("collections.films.target", "pgvector");

        assertThatThrownBy(() -> read(raw)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("4 problems")
                .hasMessageContaining("'collections.articles.legacy' is required when collections.articles.target is"
                        + " set")
                .hasMessageContaining("'collections.articles.sinks' was 'pgvector' but a collection with legacy and"
                        + " target stores is written by its storage mode")
                .hasMessageContaining("'collections.books.target' was 'neo4j' but the target must be a different"
                        + " store than the legacy (neo4j)")
                .hasMessageContaining("'collections.films.legacy' was 'qdrant' but it must be one of pgvector, neo4j,"
                        + " milvus");
    }

    @Test
    void aVectorColumnIsReadBesideTheTemplateAndNamesTheModel() {
        Map<String, String> raw = articles();
        raw.put("collections.articles.vector", " embedding ");

        CollectionMapping mapping = read(raw).collections().get(0);

        assertThat(mapping.vectorColumn()).contains("embedding");
        assertThat(mapping.template()).hasToString("{title}: {body}");
        assertThat(mapping.modelId("all-minilm-l6-v2-q")).isEqualTo("source:embedding");
        assertThat(mapping.columns()).doesNotContain("embedding");
        assertThat(mapping.sourceColumns()).containsExactly("id", "title", "body", "embedding");
        CollectionMapping modelled = read(articles()).collections().get(0);
        assertThat(modelled.vectorColumn()).isEmpty();
        assertThat(modelled.modelId("all-minilm-l6-v2-q")).isEqualTo("all-minilm-l6-v2-q");
    }

    @Test
    void everyBadVectorColumnIsReportedWithItsKey() {
        Map<String, String> raw = articles();
        raw.put("collections.articles.vector", "embedding vector");
        raw.put("collections.films.table", "public.films");
        raw.put("collections.films.id", "id");
        raw.put("collections.films.template", "{title}");
        raw.put("collections.films.vector", "id");

        assertThatThrownBy(() -> read(raw)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("2 problems")
                .hasMessageContaining("'collections.articles.vector' was 'embedding vector' but a column name must"
                        + " match [A-Za-z_][A-Za-z0-9_]*")
                .hasMessageContaining("'collections.films.vector' was 'id' but it is an id column of"
                        + " collections.films.id; the vector must be a column of its own");
    }

    @Test
    void allIsNotACollectionName() {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("collections.all.table", "public.articles");
        raw.put("collections.all.id", "id");
        raw.put("collections.all.template", "{title}");

        assertThatThrownBy(() -> read(raw)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'all' is reserved");
    }

    private static Map<String, String> articles() {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("collections.articles.table", "public.articles");
        raw.put("collections.articles.id", "id");
        raw.put("collections.articles.template", "{title}: {body}");
        return raw;
    }

    private static MappingConfig read(Map<String, String> raw) {
        ConfigReader reader = new ConfigReader(raw);
        MappingConfig config = MappingConfig.from(reader);
        reader.finish(List.of());
        return config;
    }
}
