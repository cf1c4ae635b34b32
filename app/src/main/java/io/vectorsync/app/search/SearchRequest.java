package io.vectorsync.app.search;

import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.search.Fusion;
import io.vectorsync.sink.search.HybridFusion;
import io.vectorsync.sink.search.SearchMode;

import java.util.Objects;
import java.util.Optional;

/**
 * One search as asked: what, how many, how, and where.
 *
 * @param mode         vector, keyword or hybrid
 * @param fusion       how a hybrid search fuses its two lists; ignored by the other modes
 * @param vectorWeight the vector list's weight in {@link Fusion#WEIGHTED}
 * @param store        the store to ask, or empty for the one the collection's storage mode serves reads from
 * @param minScore     hits scoring below it are left out (the score the answer reports: cosine for vector, the
 *                     store's keyword rank for keyword, the fused score for hybrid), or empty
 */
public record SearchRequest(String collection, String query, int k, SearchMode mode, Fusion fusion,
                            double vectorWeight, Optional<SinkName> store, Optional<Double> minScore) {
    /** The fusion of a hybrid search that names none: by rank, blind to the two lists' score scales. */
    public static final Fusion DEFAULT_FUSION = Fusion.RRF;

    public SearchRequest {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(fusion, "fusion");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(minScore, "minScore");
    }

    /** A vector search of the read store, as before search modes existed. */
    public static SearchRequest vector(String collection, String query, int k) {
        return new SearchRequest(collection, query, k, SearchMode.VECTOR, DEFAULT_FUSION,
                HybridFusion.DEFAULT_VECTOR_WEIGHT, Optional.empty(), Optional.empty());
    }

    public SearchRequest withStore(SinkName store) {
        return new SearchRequest(collection, query, k, mode, fusion, vectorWeight, Optional.of(store), minScore);
    }
}
