package io.vectorsync.validation;

import io.vectorsync.core.model.ContentHash;
import io.vectorsync.sink.api.StoredDocument;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.vectorsync.validation.DifferenceKind.DRIFTED;
import static io.vectorsync.validation.DifferenceKind.MISSING;
import static io.vectorsync.validation.DifferenceKind.ORPHANED;
import static io.vectorsync.validation.DifferenceKind.STALE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class StoreComparisonTest {
    private static final double LIMIT = 0.001;
    private static final float[] V = {1, 2, 3, 4};

    @Test
    void aDocumentWithTheSourceHashAndANearVectorMatches() {
        SourceRow row = row("7", "Tea: green");
        float[] near = {1, 2, 3, 4.001f};
        assertThat(StoreComparison.classify(row, doc(row, near), V, LIMIT)).isEmpty();
    }

    @Test
    void aSourceRowTheStoreLacksIsMissing() {
        assertThat(StoreComparison.classify(row("7", "x"), null, V, LIMIT)).contains(MISSING);
    }

    @Test
    void aStoredDocumentWithoutSourceRowIsOrphaned() {
        assertThat(StoreComparison.classify(null, doc(row("7", "x"), V), null, LIMIT)).contains(ORPHANED);
        assertThat(StoreComparison.classify(null, null, null, LIMIT)).isEmpty();
    }

    @Test
    void anotherContentHashIsStaleWhateverTheVector() {
        SourceRow row = row("7", "new text");
        StoredDocument old = new StoredDocument("7", "old text", Map.of(), V, "m", ContentHash.sha256("old text"), 1);
        assertThat(StoreComparison.classify(row, old, V, LIMIT)).contains(STALE);
        assertThat(StoreComparison.needsVector(row, old)).isFalse();
    }

    @Test
    void metadataOtherThanTheRowsIsStaleEvenWithTheSameTextAndVector() {
        SourceRow row = new SourceRow(List.of("7"), "7", "Tea: green", ContentHash.sha256("Tea: green"),
                Map.of("author", "ann", "rank", 3));
        StoredDocument same = new StoredDocument("7", row.text(), Map.of("author", "ann", "rank", 3), V, "m",
                row.hash(), 1);
        StoredDocument edited = new StoredDocument("7", row.text(), Map.of("author", "mallory", "rank", 3), V, "m",
                row.hash(), 1);
        StoredDocument lacking = new StoredDocument("7", row.text(), Map.of("author", "ann"), V, "m", row.hash(), 1);

        assertThat(StoreComparison.classify(row, same, V, LIMIT)).isEmpty();
        assertThat(StoreComparison.classify(row, edited, V, LIMIT)).contains(STALE);
        assertThat(StoreComparison.classify(row, lacking, V, LIMIT)).contains(STALE);
    }

    @Test
    void aVectorFurtherThanTheLimitOrAbsentHasDrifted() {
        SourceRow row = row("7", "Tea: green");
        assertThat(StoreComparison.classify(row, doc(row, new float[]{4, 3, 2, 1}), V, LIMIT)).contains(DRIFTED);
        assertThat(StoreComparison.classify(row, doc(row, null), V, LIMIT)).contains(DRIFTED);
        assertThat(StoreComparison.classify(row, doc(row, new float[]{1, 2, 3}), V, LIMIT)).contains(DRIFTED);
        assertThat(StoreComparison.classify(row, doc(row, new float[]{4, 3, 2, 1}), V, 0.5)).isEmpty();
    }

    @Test
    void blankTextIsNeitherEmbeddedNorComparedByVector() {
        SourceRow blank = row("7", " ");
        assertThat(StoreComparison.needsVector(blank, doc(blank, null))).isFalse();
        assertThat(StoreComparison.classify(blank, doc(blank, null), null, LIMIT)).isEqualTo(Optional.empty());
    }

    @Test
    void aSourceVectorIsComparedAsItIsAndANullOneWithTextNeedsNoVector() {
        float[] source = {0.5f, -1f, 2f, 0f};
        SourceRow row = new SourceRow(List.of("7"), "7", "Tea", ContentHash.sha256("Tea", source), Map.of(), true,
                source);
        assertThat(StoreComparison.needsVector(row, doc(row, source))).isTrue();
        assertThat(StoreComparison.classify(row, doc(row, source), row.vector(), LIMIT)).isEmpty();
        assertThat(StoreComparison.classify(row, doc(row, new float[]{-0.5f, 1f, -2f, 0f}), row.vector(), LIMIT))
                .contains(DRIFTED);
        SourceRow blankWithVector = new SourceRow(List.of("8"), "8", " ", ContentHash.sha256(" ", source), Map.of(),
                true, source);
        assertThat(StoreComparison.needsVector(blankWithVector, doc(blankWithVector, source))).isTrue();
        SourceRow noVector = new SourceRow(List.of("9"), "9", "Tea", ContentHash.sha256("Tea"), Map.of(), true, null);
        assertThat(StoreComparison.needsVector(noVector, doc(noVector, null))).isFalse();
    }

    @Test
    void cosineDistanceRunsFromZeroToTwo() {
        assertThat(StoreComparison.cosineDistance(V, new float[]{2, 4, 6, 8})).isCloseTo(0, within(1e-9));
        assertThat(StoreComparison.cosineDistance(V, new float[]{-1, -2, -3, -4})).isCloseTo(2, within(1e-9));
        assertThat(StoreComparison.cosineDistance(new float[]{1, 0}, new float[]{0, 1})).isCloseTo(1, within(1e-9));
        assertThat(StoreComparison.cosineDistance(new float[]{0, 0}, new float[]{0, 1})).isEqualTo(2);
    }

    private static SourceRow row(String id, String text) {
        return new SourceRow(List.of(id), id, text, ContentHash.sha256(text));
    }

    private static StoredDocument doc(SourceRow row, float[] vector) {
        return new StoredDocument(row.id(), row.text(), Map.of(), vector, "m", row.hash(), 1);
    }
}
