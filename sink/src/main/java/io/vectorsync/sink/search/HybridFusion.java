package io.vectorsync.sink.search;

import io.vectorsync.sink.api.SearchHit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuses a vector result list and a keyword result list into one, best first. Pure: the same lists give the same
 * answer in every store, so shadow reads can compare hybrid answers, and the fusion is tested without a server.
 *
 * <ul>
 *   <li>{@link Fusion#RRF}: each document scores {@code Σ 1 / (K + rank)} over the lists it appears in (rank from 1,
 *   {@code K} = {@value #RRF_K}, the constant of Cormack, Clarke and Büttcher's paper). Scores of the two lists are
 *   never compared, which suits a cosine beside a ts_rank or a Lucene score.</li>
 *   <li>{@link Fusion#WEIGHTED}: each list's scores are min-max normalised to [0, 1] (the best gets 1, the worst 0,
 *   a single hit or equal scores all 1), then {@code w · vector + (1 − w) · keyword}, a document missing from a list
 *   getting 0 there.</li>
 * </ul>
 * Ties break by the better of the document's two ranks, then by id, so the order is always determined. The hit
 * carries the fused score.
 */
public final class HybridFusion {
    /** The rank constant of reciprocal rank fusion. */
    public static final int RRF_K = 60;
    /** The vector list's share in {@link Fusion#WEIGHTED} unless a request says otherwise. */
    public static final double DEFAULT_VECTOR_WEIGHT = 0.7;

    private HybridFusion() {
    }

    private static final class Entry {
        final SearchHit hit;
        double score;
        int bestRank = Integer.MAX_VALUE;

        Entry(SearchHit hit) {
            this.hit = hit;
        }
    }

    /**
     * @param vectorWeight the vector list's weight in [0, 1]; only {@link Fusion#WEIGHTED} reads it
     * @param k            how many fused hits to return, at least 1
     * @throws IllegalArgumentException for a weight outside [0, 1] or {@code k < 1}
     */
    public static List<SearchHit> fuse(List<SearchHit> vector, List<SearchHit> keyword, Fusion fusion,
                                       double vectorWeight, int k) {
        if (!(vectorWeight >= 0 && vectorWeight <= 1)) {
            throw new IllegalArgumentException("vector weight must be between 0 and 1, was " + vectorWeight);
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, was " + k);
        }
        Map<String, Entry> byId = new LinkedHashMap<>();
        if (fusion == Fusion.RRF) {
            addRrf(byId, vector);
            addRrf(byId, keyword);
        } else {
            addWeighted(byId, vector, vectorWeight);
            addWeighted(byId, keyword, 1 - vectorWeight);
        }
        List<Entry> entries = new ArrayList<>(byId.values());
        entries.sort(Comparator.<Entry>comparingDouble(e -> -e.score)
                .thenComparingInt(e -> e.bestRank)
                .thenComparing(e -> e.hit.id()));
        List<SearchHit> out = new ArrayList<>(Math.min(k, entries.size()));
        for (Entry e : entries.subList(0, Math.min(k, entries.size()))) {
            out.add(new SearchHit(e.hit.id(), e.hit.content(), e.hit.metadata(), e.score));
        }
        return out;
    }

    private static void addRrf(Map<String, Entry> byId, List<SearchHit> hits) {
        int rank = 0;
        for (SearchHit hit : hits) {
            rank++;
            Entry e = entry(byId, hit, rank);
            e.score += 1.0 / (RRF_K + rank);
        }
    }

    private static void addWeighted(Map<String, Entry> byId, List<SearchHit> hits, double weight) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (SearchHit hit : hits) {
            min = Math.min(min, hit.score());
            max = Math.max(max, hit.score());
        }
        int rank = 0;
        for (SearchHit hit : hits) {
            rank++;
            double normalised = max > min ? (hit.score() - min) / (max - min) : 1.0;
            entry(byId, hit, rank).score += weight * normalised;
        }
    }

    private static Entry entry(Map<String, Entry> byId, SearchHit hit, int rank) {
        Entry e = byId.computeIfAbsent(hit.id(), id -> new Entry(hit));
        e.bestRank = Math.min(e.bestRank, rank);
        return e;
    }
}
