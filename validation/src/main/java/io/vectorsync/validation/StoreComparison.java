package io.vectorsync.validation;

import io.vectorsync.sink.api.StoredDocument;

import java.util.Optional;

/**
 * Pure comparison of one source row with one stored document: does the store hold exactly what the pipeline would
 * write for the row?
 */
public final class StoreComparison {
    private StoreComparison() {
    }

    /**
     * A stored document whose content hash or metadata is not the row's is {@link DifferenceKind#STALE}: the store
     * holds another version of the row.
     *
     * @param row      the source row, or null when the source has none
     * @param stored   the stored document, or null when the store has none
     * @param fresh    a fresh embedding of the row's text, or the row's source vector; only read when
     *                 {@link #needsVector} says so
     * @param driftMax the largest cosine distance that still matches
     * @return the difference, or empty when the store matches the source (including when neither has the row)
     */
    public static Optional<DifferenceKind> classify(SourceRow row, StoredDocument stored, float[] fresh,
                                                    double driftMax) {
        if (row == null) {
            return stored == null ? Optional.empty() : Optional.of(DifferenceKind.ORPHANED);
        }
        if (stored == null) {
            return Optional.of(DifferenceKind.MISSING);
        }
        if (!row.hash().equals(stored.contentHash()) || !row.metadata().equals(stored.metadata())) {
            return Optional.of(DifferenceKind.STALE);
        }
        if (!needsVector(row, stored)) {
            return Optional.empty();
        }
        if (stored.embedding() == null || fresh == null || cosineDistance(stored.embedding(), fresh) > driftMax) {
            return Optional.of(DifferenceKind.DRIFTED);
        }
        return Optional.empty();
    }

    /**
     * Whether the comparison needs a vector: the store holds the row's current text and the text is not blank (blank
     * text is stored without a vector and never embedded); for a source vector, when the row has one.
     */
    public static boolean needsVector(SourceRow row, StoredDocument stored) {
        return row != null && stored != null && row.hash().equals(stored.contentHash())
                && (row.sourceVector() ? row.vector() != null : !row.text().isBlank());
    }

    /**
     * 1 - cosine similarity: 0 for the same direction, 2 for opposite ones; 2 as well for vectors of different sizes
     * or a zero vector, which no embedding of the text can be near.
     */
    public static double cosineDistance(float[] a, float[] b) {
        if (a.length != b.length) {
            return 2;
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        if (na == 0 || nb == 0) {
            return 2;
        }
        return 1 - dot / Math.sqrt(na * nb);
    }
}
