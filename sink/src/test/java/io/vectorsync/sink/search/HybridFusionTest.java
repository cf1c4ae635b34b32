package io.vectorsync.sink.search;

import io.vectorsync.sink.api.SearchHit;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Fused orders and scores worked out by hand. */
class HybridFusionTest {

    private static SearchHit hit(String id, double score) {
        return new SearchHit(id, "text of " + id, Map.of("n", id), score);
    }

    private static List<String> ids(List<SearchHit> hits) {
        return hits.stream().map(SearchHit::id).toList();
    }

    @Test
    void rrfAddsOneOverSixtyPlusRankFromEveryList() {
        // a: 1/61 + 1/62 = .032522, c: 1/63 + 1/61 = .032266, b: 1/62 = .016129, e: 1/63 = .015873, d: 1/64
        List<SearchHit> vector = List.of(hit("a", .9), hit("b", .8), hit("c", .7), hit("d", .6));
        List<SearchHit> keyword = List.of(hit("c", 9), hit("a", 5), hit("e", 1));

        List<SearchHit> fused = HybridFusion.fuse(vector, keyword, Fusion.RRF, 0.7, 10);

        assertThat(ids(fused)).containsExactly("a", "c", "b", "e", "d");
        assertThat(fused.get(0).score()).isCloseTo(1.0 / 61 + 1.0 / 62, within(1e-12));
        assertThat(fused.get(1).score()).isCloseTo(1.0 / 63 + 1.0 / 61, within(1e-12));
        assertThat(fused.get(4).score()).isCloseTo(1.0 / 64, within(1e-12));
        assertThat(fused.get(0).content()).isEqualTo("text of a");
        assertThat(fused.get(0).metadata()).isEqualTo(Map.of("n", "a"));
    }

    @Test
    void rrfIgnoresTheScoresScalesAndTheWeight() {
        List<SearchHit> vector = List.of(hit("a", .9), hit("b", .8));
        List<SearchHit> keyword = List.of(hit("b", 1000), hit("c", 0.001));

        assertThat(ids(HybridFusion.fuse(vector, keyword, Fusion.RRF, 0.0, 10))).containsExactly("b", "a", "c");
        assertThat(ids(HybridFusion.fuse(vector, keyword, Fusion.RRF, 1.0, 10))).containsExactly("b", "a", "c");
    }

    @Test
    void tiesBreakByBestRankThenById() {
        // x and y both score 1/61 + 1/62; z and w both 1/63 with best rank 3.
        List<SearchHit> vector = List.of(hit("y", .9), hit("x", .8), hit("z", .7));
        List<SearchHit> keyword = List.of(hit("x", 3), hit("y", 2), hit("w", 1));

        assertThat(ids(HybridFusion.fuse(vector, keyword, Fusion.RRF, 0.7, 10))).containsExactly("x", "y", "w", "z");
    }

    @Test
    void weightedSumsMinMaxNormalisedScoresWithTheDefaultWeights() {
        // vector a 1, b .75, c 0; keyword c 1, d 1/3, a 0 → a .7, b .525, c .3, d .1
        List<SearchHit> vector = List.of(hit("a", .9), hit("b", .8), hit("c", .5));
        List<SearchHit> keyword = List.of(hit("c", 4), hit("d", 2), hit("a", 1));

        List<SearchHit> fused = HybridFusion.fuse(vector, keyword, Fusion.WEIGHTED,
                HybridFusion.DEFAULT_VECTOR_WEIGHT, 10);

        assertThat(ids(fused)).containsExactly("a", "b", "c", "d");
        assertThat(fused.stream().map(SearchHit::score).toList())
                .usingElementComparator((p, q) -> Math.abs(p - q) < 1e-12 ? 0 : Double.compare(p, q))
                .containsExactly(0.7, 0.525, 0.3, 0.1);
    }

    @Test
    void weightedFollowsTheRequestsWeight() {
        // w = .3: a .3, b .225, c .7, d .7/3 = .2333
        List<SearchHit> vector = List.of(hit("a", .9), hit("b", .8), hit("c", .5));
        List<SearchHit> keyword = List.of(hit("c", 4), hit("d", 2), hit("a", 1));

        assertThat(ids(HybridFusion.fuse(vector, keyword, Fusion.WEIGHTED, 0.3, 10)))
                .containsExactly("c", "a", "d", "b");
        assertThat(ids(HybridFusion.fuse(vector, keyword, Fusion.WEIGHTED, 1.0, 2))).containsExactly("a", "b");
        assertThat(ids(HybridFusion.fuse(vector, keyword, Fusion.WEIGHTED, 0.0, 1))).containsExactly("c");
    }

    @Test
    void aSingleHitOrEqualScoresNormaliseToOne() {
        List<SearchHit> fused = HybridFusion.fuse(List.of(hit("a", .2)), List.of(hit("b", 3), hit("c", 3)),
                Fusion.WEIGHTED, 0.5, 10);

        assertThat(ids(fused)).containsExactly("a", "b", "c");
        assertThat(fused.stream().map(SearchHit::score).toList()).containsExactly(0.5, 0.5, 0.5);
    }

    @Test
    void emptyListsFuseToTheOtherList() {
        assertThat(ids(HybridFusion.fuse(List.of(), List.of(hit("k", 1)), Fusion.RRF, 0.7, 5))).containsExactly("k");
        assertThat(HybridFusion.fuse(List.of(), List.of(), Fusion.WEIGHTED, 0.7, 5)).isEmpty();
    }

    @Test
    void badWeightOrKIsRefused() {
        assertThatThrownBy(() -> HybridFusion.fuse(List.of(), List.of(), Fusion.WEIGHTED, 1.5, 5))
                .hasMessage("vector weight must be between 0 and 1, was 1.5");
        assertThatThrownBy(() -> HybridFusion.fuse(List.of(), List.of(), Fusion.WEIGHTED, Double.NaN, 5))
                .hasMessage("vector weight must be between 0 and 1, was NaN");
        assertThatThrownBy(() -> HybridFusion.fuse(List.of(), List.of(), Fusion.RRF, 0.5, 0))
                .hasMessage("k must be at least 1, was 0");
    }

    @Test
    void modesAndFusionsParseTheirOwnNamesOnly() {
        assertThat(SearchMode.parse("hybrid")).isEqualTo(SearchMode.HYBRID);
        assertThat(Fusion.parse("weighted")).isEqualTo(Fusion.WEIGHTED);
        assertThatThrownBy(() -> SearchMode.parse("HYBRID")).hasMessage("it must be one of vector, keyword, hybrid");
        assertThatThrownBy(() -> Fusion.parse("sum")).hasMessage("it must be one of rrf, weighted");
    }
}
