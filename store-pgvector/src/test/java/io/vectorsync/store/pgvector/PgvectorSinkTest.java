package io.vectorsync.store.pgvector;

import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.TableId;
import io.vectorsync.core.model.TextTemplate;
import io.vectorsync.sink.api.ApplyResult.Rejected;
import io.vectorsync.sink.api.ApplyResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the sink decides before it ever opens a connection; the URL points nowhere on purpose. */
class PgvectorSinkTest {
    private static final PgvectorSinkConfig NOWHERE = new PgvectorSinkConfig("jdbc:postgresql://127.0.0.1:1/none",
            "postgres", "s3cret", "public", 16, 64, 30_000);

    @Test
    void collectionNameTooLongForTheTombstoneTableIsRejectedInPrepare() {
        String name = "a".repeat(52);
        try (PgvectorSink sink = new PgvectorSink(NOWHERE, 3)) {
            assertThatThrownBy(() -> sink.prepare(mapping(name)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("collection '" + name + "' is 52 characters long but the pgvector sink"
                            + " allows at most 51");
        }
    }

    @Test
    void changesForUnpreparedCollectionsAreRejectedNamingTheCollection() throws Exception {
        EnrichedChange change = EnrichedChange.delete("films", "7", 1, 0);
        try (PgvectorSink sink = new PgvectorSink(NOWHERE, 3)) {
            assertThat(sink.apply(List.of(change))).isEqualTo(new ApplyResult(0, 0,
                    List.of(new Rejected(change, "collection 'films' was not prepared in the pgvector sink"))));
        }
    }

    @Test
    void emptyBatchDoesNothing() throws Exception {
        try (PgvectorSink sink = new PgvectorSink(NOWHERE, 3)) {
            assertThat(sink.apply(List.of())).isEqualTo(new ApplyResult(0, 0, List.of()));
        }
    }

    @Test
    void dimensionBeyondWhatHnswIndexesIsRefused() {
        assertThatThrownBy(() -> new PgvectorSink(NOWHERE, 2001))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the pgvector sink needs a dimension between 1 and 2000 (the most an HNSW index takes),"
                        + " was 2001");
    }

    @Test
    void nameAndToStringRevealNoSecret() {
        try (PgvectorSink sink = new PgvectorSink(NOWHERE, 3)) {
            assertThat(sink.name()).isEqualTo(SinkName.PGVECTOR);
            assertThat(sink.toString()).contains("127.0.0.1:1").doesNotContain("s3cret");
        }
    }

    private static CollectionMapping mapping(String name) {
        return new CollectionMapping(name, new TableId("public", "t"), List.of("id"), TextTemplate.parse("{body}"),
                List.of(), Set.of(SinkName.PGVECTOR));
    }
}
