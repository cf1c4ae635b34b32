package io.vectorsync.app.search;

import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.search.Fusion;
import io.vectorsync.sink.search.HybridFusion;
import io.vectorsync.sink.search.SearchMode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a {@link SearchRequest} from the API's query parameters ({@code q}, {@code k}, {@code mode}, {@code fusion},
 * {@code vector.weight}, {@code store}, {@code min.score}). Every problem is reported together, each naming the
 * parameter and the value; nothing falls back to a default silently. Whether the collection and the store exist is
 * the {@link SearchService}'s to say.
 */
public final class SearchParameters {
    public static final int DEFAULT_K = 10;

    private SearchParameters() {
    }

    /** @throws SearchService.BadSearchException listing every bad parameter */
    public static SearchRequest parse(String collection, Map<String, String> params) {
        List<String> problems = new ArrayList<>();
        String q = params.get("q");
        int k = DEFAULT_K;
        if (params.containsKey("k")) {
            try {
                k = Integer.parseInt(params.get("k").trim());
            } catch (NumberFormatException e) {
                problems.add("k must be a whole number, was '" + params.get("k") + "'");
            }
        }
        SearchMode mode = SearchMode.VECTOR;
        if (params.containsKey("mode")) {
            try {
                mode = SearchMode.parse(params.get("mode"));
            } catch (IllegalArgumentException e) {
                problems.add("mode was '" + params.get("mode") + "' but " + e.getMessage());
            }
        }
        Fusion fusion = params.containsKey("vector.weight") ? Fusion.WEIGHTED : SearchRequest.DEFAULT_FUSION;
        if (params.containsKey("fusion")) {
            try {
                fusion = Fusion.parse(params.get("fusion"));
            } catch (IllegalArgumentException e) {
                problems.add("fusion was '" + params.get("fusion") + "' but " + e.getMessage());
            }
            if (mode != SearchMode.HYBRID) {
                problems.add("fusion was '" + params.get("fusion") + "' but it applies to mode=hybrid only");
            }
        }
        double weight = HybridFusion.DEFAULT_VECTOR_WEIGHT;
        if (params.containsKey("vector.weight")) {
            String raw = params.get("vector.weight");
            Double w = number(raw);
            if (w == null || w < 0 || w > 1) {
                problems.add("vector.weight was '" + raw + "' but it must be a number between 0 and 1");
            } else {
                weight = w;
            }
            if (fusion != Fusion.WEIGHTED || mode != SearchMode.HYBRID) {
                problems.add("vector.weight was '" + raw + "' but it applies to mode=hybrid with fusion=weighted"
                        + " only");
            }
        }
        Optional<SinkName> store = Optional.empty();
        if (params.containsKey("store")) {
            try {
                store = Optional.of(SinkName.fromId(params.get("store")));
            } catch (IllegalArgumentException e) {
                problems.add("store was '" + params.get("store") + "' but it must be one of " + SinkName.ids());
            }
        }
        Optional<Double> minScore = Optional.empty();
        if (params.containsKey("min.score")) {
            Double min = number(params.get("min.score"));
            if (min == null) {
                problems.add("min.score was '" + params.get("min.score") + "' but it must be a number");
            } else {
                minScore = Optional.of(min);
            }
        }
        if (!problems.isEmpty()) {
            throw new SearchService.BadSearchException(String.join("; ", problems), false);
        }
        return new SearchRequest(collection, q, k, mode, fusion, weight, store, minScore);
    }

    private static Double number(String raw) {
        try {
            double d = Double.parseDouble(raw.trim());
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException | NullPointerException e) {
            return null;
        }
    }
}
