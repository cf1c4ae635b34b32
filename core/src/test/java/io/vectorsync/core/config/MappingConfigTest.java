package io.vectorsync.core.config;

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
