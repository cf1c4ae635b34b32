package io.vectorsync.core.mapping;

import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.TableId;
import io.vectorsync.core.model.TextTemplate;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DocumentIdsTest {
    private static final CollectionMapping SINGLE = mapping("id");
    private static final CollectionMapping COMPOSITE = mapping("tenant", "path", "n");

    @Test
    void aSingleIdColumnIsItsValueAsTextUnescaped() {
        assertThat(DocumentIds.documentId(SINGLE, Map.of("id", 42, "title", "x"))).isEqualTo("42");
        assertThat(DocumentIds.documentId(SINGLE, Map.of("id", "a|b\\c"))).isEqualTo("a|b\\c");
        assertThat(DocumentIds.parse(SINGLE, "a|b\\c")).containsExactly("a|b\\c");
    }

    @Test
    void compositeIdsEscapeSeparatorAndBackslashAndRoundTrip() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("tenant", "acme|eu");
        row.put("path", "C:\\docs\\|x\\");
        row.put("n", 7L);

        String id = DocumentIds.documentId(COMPOSITE, row);

        assertThat(id).isEqualTo("acme\\|eu|C:\\\\docs\\\\\\|x\\\\|7");
        assertThat(DocumentIds.parse(COMPOSITE, id)).containsExactly("acme|eu", "C:\\docs\\|x\\", "7");
    }

    @Test
    void anArrayIdIsItsPostgresArrayLiteralSoDistinctArraysGetDistinctIdsThatReadBackAsTheArray() {
        List<Object> twoElements = List.of("a", "b");
        List<Object> oneElement = List.of("a, b");
        List<Object> awkward = new java.util.ArrayList<>(List.of("", "NULL", "say \"hi\"", "back\\slash", "{x}",
                "tab\there", "👩🏽‍💻 שָׁלוֹם"));
        awkward.add(null);

        assertThat(DocumentIds.documentId(SINGLE, Map.of("id", twoElements))).isEqualTo("{a,b}");
        assertThat(DocumentIds.documentId(SINGLE, Map.of("id", oneElement))).isEqualTo("{\"a, b\"}");
        assertThat(DocumentIds.documentId(SINGLE, Map.of("id", awkward))).isEqualTo("{\"\",\"NULL\","
                + "\"say \\\"hi\\\"\",\"back\\\\slash\",\"{x}\",\"tab\there\",\"👩🏽‍💻 שָׁלוֹם\",NULL}");
        assertThat(DocumentIds.documentId(SINGLE, Map.of("id", List.of(List.of(1, 2), List.of(3, -4)))))
                .isEqualTo("{{1,2},{3,-4}}");
        assertThat(DocumentIds.documentId(SINGLE, Map.of("id", List.of()))).isEqualTo("{}");
    }

    @Test
    void emptyValuesRoundTrip() {
        List<String> values = List.of("", "", "");
        assertThat(DocumentIds.join(values)).isEqualTo("||");
        assertThat(DocumentIds.parse(COMPOSITE, "||")).isEqualTo(values);
    }

    @Test
    void manyAwkwardCompositeKeysRoundTrip() {
        List<String> pieces = List.of("", "|", "\\", "\\|", "|\\", "a", "a|", "\\\\", "||", "x\\y|z");
        for (String a : pieces) {
            for (String b : pieces) {
                for (String c : pieces) {
                    List<String> values = List.of(a, b, c);
                    assertThat(DocumentIds.parse(COMPOSITE, DocumentIds.join(values))).as("%s", values)
                            .isEqualTo(values);
                }
            }
        }
    }

    @Test
    void aNullOrMissingIdColumnIsRefusedNamingIt() {
        Map<String, Object> row = new HashMap<>();
        row.put("tenant", "t");
        row.put("path", null);
        assertThatThrownBy(() -> DocumentIds.documentId(COMPOSITE, row))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("id column 'path' of collection 'docs' is missing or NULL");
    }

    @Test
    void anIdWithTheWrongNumberOfValuesOrALoneEscapeIsNotParsed() {
        assertThatThrownBy(() -> DocumentIds.parse(COMPOSITE, "a|b"))
                .hasMessage("id 'a|b' of collection 'docs' holds 2 values but the collection has 3 id columns"
                        + " [tenant, path, n]");
        assertThatThrownBy(() -> DocumentIds.parse(COMPOSITE, "a|b|c\\"))
                .hasMessageContaining("ends in a lone '\\'");
    }

    private static CollectionMapping mapping(String... ids) {
        return new CollectionMapping("docs", TableId.parse("public.docs"), List.of(ids),
                TextTemplate.parse("{title}"), List.of(), Set.of(SinkName.PGVECTOR));
    }
}
