package io.vectorsync.app.quality;

import java.util.List;
import java.util.Set;

/**
 * Recall@k and mean reciprocal rank of a run of queries. Pure.
 *
 * <ul>
 *   <li>recall@k: per query, the share of its relevant documents among the first k answers; averaged.</li>
 *   <li>MRR: per query, 1 / the rank of the first relevant answer within the first k, 0 when there is none;
 *   averaged.</li>
 * </ul>
 */
public final class QualityScores {
    private QualityScores() {
    }

    /** The averages over a run of queries. */
    public record Score(double recall, double mrr, int queries) {
    }

    /**
     * @param answers  per query, the ids answered, best first
     * @param relevant per query, the ids that answer it (at least one)
     */
    public static Score score(List<List<String>> answers, List<Set<String>> relevant, int k) {
        if (answers.size() != relevant.size()) {
            throw new IllegalArgumentException(answers.size() + " answers for " + relevant.size() + " queries");
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, was " + k);
        }
        double recall = 0;
        double mrr = 0;
        for (int q = 0; q < answers.size(); q++) {
            List<String> top = answers.get(q).subList(0, Math.min(k, answers.get(q).size()));
            Set<String> wanted = relevant.get(q);
            if (wanted.isEmpty()) {
                throw new IllegalArgumentException("query " + q + " has no relevant document");
            }
            recall += (double) top.stream().filter(wanted::contains).count() / wanted.size();
            for (int i = 0; i < top.size(); i++) {
                if (wanted.contains(top.get(i))) {
                    mrr += 1.0 / (i + 1);
                    break;
                }
            }
        }
        int n = answers.size();
        return new Score(n == 0 ? 0 : recall / n, n == 0 ? 0 : mrr / n, n);
    }
}
