package io.vectorsync.validation;

import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.TableId;
import io.vectorsync.core.model.TextTemplate;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SelectionTest {
    private static final CollectionMapping DOCS = mapping("docs", SinkName.MILVUS, SinkName.PGVECTOR);
    private static final CollectionMapping NOTES = mapping("notes", SinkName.NEO4J);
    private static final List<CollectionMapping> ALL = List.of(DOCS, NOTES);

    @Test
    void everyCollectionInEveryStoreByDefault() {
        assertThat(Selection.resolve(ALL, List.of(), List.of())).containsExactly(
                new Selection.Target(DOCS, List.of(SinkName.PGVECTOR, SinkName.MILVUS)),
                new Selection.Target(NOTES, List.of(SinkName.NEO4J)));
    }

    @Test
    void storesNarrowTheCollectionsAndTheirStores() {
        assertThat(Selection.resolve(ALL, List.of(), List.of("milvus"))).containsExactly(
                new Selection.Target(DOCS, List.of(SinkName.MILVUS)));
        assertThat(Selection.resolve(ALL, List.of("notes"), List.of())).containsExactly(
                new Selection.Target(NOTES, List.of(SinkName.NEO4J)));
    }

    @Test
    void unknownNamesAreListedWithWhatIsConfigured() {
        assertThatThrownBy(() -> Selection.resolve(ALL, List.of("nope"), List.of("qdrant")))
                .isInstanceOf(BadSelectionException.class)
                .hasMessageContaining("--collection 'nope' is not configured; configured collections: [docs, notes]")
                .hasMessageContaining("--store 'qdrant' is not a store; stores: pgvector, neo4j, milvus");
        assertThatThrownBy(() -> Selection.resolve(ALL, List.of("notes"), List.of("milvus")))
                .hasMessage("collection 'notes' is not written to [milvus]; its stores: [neo4j]");
    }

    private static CollectionMapping mapping(String name, SinkName... sinks) {
        return new CollectionMapping(name, TableId.parse(name), List.of("id"), TextTemplate.parse("{t}"), List.of(),
                Set.of(sinks));
    }
}
