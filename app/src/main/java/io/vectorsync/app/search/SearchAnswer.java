package io.vectorsync.app.search;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.SearchHit;

import java.util.List;

/**
 * A search answer, as the HTTP API returns it.
 *
 * @param searchMode   how it searched: vector, keyword or hybrid
 * @param fusion       the fusion of a hybrid search (rrf or weighted), else null
 * @param vectorWeight the vector list's weight of a weighted hybrid search, else null
 * @param minScore     the threshold hits had to reach, or null
 * @param mode         the collection's storage mode when it was served, or null for a collection that does not migrate
 * @param store        the store that served the answer
 * @param shadowStore  the store the query was mirrored to (SHADOW), or null
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SearchAnswer(String collection, String query, int k, String searchMode, String fusion,
                           Double vectorWeight, Double minScore, String mode, long epoch, SinkName store,
                           SinkName shadowStore, long tookMs, List<SearchHit> hits) {
}
