package io.vectorsync.migration.shadow;

import io.vectorsync.sink.api.SearchHit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the target store's answer to one search compares with the legacy store's, which served it. With {@code L} and
 * {@code T} the first {@code k} distinct ids of the legacy and the target answer (each with the score of its first
 * hit):
 * <ul>
 *   <li>{@code overlap} = |L ∩ T| / max(|L|, |T|): 1 when both answered with the same ids; lower when either holds
 *       ids the other does not. When both return k hits this is |L ∩ T| / k; dividing by what was returned rather
 *       than by k keeps a collection smaller than k from looking like disagreement. 1 when both answered
 *       nothing.</li>
 *   <li>{@code recall} = |L ∩ T| / |L|: the share of the legacy answer the target found too (recall@k with the legacy
 *       answer as the truth). 1 when legacy answered nothing.</li>
 *   <li>{@code meanScoreDrift} and {@code maxScoreDrift}: mean and largest |legacy score − target score| over the ids
 *       in L ∩ T. Both stores score by cosine similarity, so a drift shows different vectors or a different metric.
 *       0 when no id is in both ({@code common} = 0).</li>
 * </ul>
 *
 * @param legacyHits distinct ids in the legacy answer's top k, |L|
 * @param targetHits distinct ids in the target answer's top k, |T|
 * @param common     ids in both, |L ∩ T|
 */
public record ShadowComparison(int k, int legacyHits, int targetHits, int common, double overlap, double recall,
                               double meanScoreDrift, double maxScoreDrift, Duration legacyLatency,
                               Duration targetLatency) {

    public static ShadowComparison compare(List<SearchHit> legacy, List<SearchHit> target, int k,
                                           Duration legacyLatency, Duration targetLatency) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, was " + k);
        }
        Objects.requireNonNull(legacyLatency, "legacyLatency");
        Objects.requireNonNull(targetLatency, "targetLatency");
        Map<String, Double> l = topK(Objects.requireNonNull(legacy, "legacy"), k);
        Map<String, Double> t = topK(Objects.requireNonNull(target, "target"), k);
        int common = 0;
        double driftSum = 0;
        double driftMax = 0;
        for (Map.Entry<String, Double> e : l.entrySet()) {
            Double other = t.get(e.getKey());
            if (other != null) {
                common++;
                double drift = Math.abs(e.getValue() - other);
                driftSum += drift;
                driftMax = Math.max(driftMax, drift);
            }
        }
        int larger = Math.max(l.size(), t.size());
        double overlap = larger == 0 ? 1.0 : (double) common / larger;
        double recall = l.isEmpty() ? 1.0 : (double) common / l.size();
        return new ShadowComparison(k, l.size(), t.size(), common, overlap, recall,
                common == 0 ? 0.0 : driftSum / common, driftMax, legacyLatency, targetLatency);
    }

    /** The first k distinct ids in answer order, each with the score of its first hit. */
    private static Map<String, Double> topK(List<SearchHit> hits, int k) {
        Map<String, Double> top = new LinkedHashMap<>();
        for (SearchHit hit : hits) {
            if (top.size() == k) {
                break;
            }
            top.putIfAbsent(hit.id(), hit.score());
        }
        return top;
    }
}
