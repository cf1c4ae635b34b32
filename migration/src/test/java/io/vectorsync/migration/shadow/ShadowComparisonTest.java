package io.vectorsync.migration.shadow;

import io.vectorsync.sink.api.SearchHit;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ShadowComparisonTest {
    private static final Duration L = Duration.ofMillis(12);
    private static final Duration T = Duration.ofMillis(30);

    @Test
    void identicalAnswersAgreeFully() {
        List<SearchHit> hits = List.of(hit("a", 0.9), hit("b", 0.8), hit("c", 0.7));

        assertThat(ShadowComparison.compare(hits, hits, 3, L, T))
                .isEqualTo(new ShadowComparison(3, 3, 3, 3, 1.0, 1.0, 0.0, 0.0, L, T));
    }

    @Test
    void overlapRecallAndDriftOfPartlyDifferentAnswers() {
        List<SearchHit> legacy = List.of(hit("a", 0.90), hit("b", 0.80), hit("c", 0.70), hit("d", 0.60));
        List<SearchHit> target = List.of(hit("a", 0.88), hit("c", 0.60), hit("e", 0.50), hit("b", 0.40));

        ShadowComparison c = ShadowComparison.compare(legacy, target, 3, L, T);

        // Top 3: {a, b, c} against {a, c, e}; b is fourth in the target and does not count.
        assertThat(c.legacyHits()).isEqualTo(3);
        assertThat(c.targetHits()).isEqualTo(3);
        assertThat(c.common()).isEqualTo(2);
        assertThat(c.overlap()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(c.recall()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(c.meanScoreDrift()).isCloseTo((0.02 + 0.10) / 2, within(1e-12));
        assertThat(c.maxScoreDrift()).isCloseTo(0.10, within(1e-12));
        assertThat(c.legacyLatency()).isEqualTo(L);
        assertThat(c.targetLatency()).isEqualTo(T);
    }

    @Test
    void fewerHitsThanKDivideByWhatWasReturned() {
        List<SearchHit> legacy = List.of(hit("a", 0.9), hit("b", 0.8));
        List<SearchHit> target = List.of(hit("a", 0.9), hit("b", 0.8), hit("x", 0.7));

        ShadowComparison c = ShadowComparison.compare(legacy, target, 10, L, T);

        assertThat(c.overlap()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(c.recall()).isEqualTo(1.0);
        assertThat(c.meanScoreDrift()).isZero();
    }

    @Test
    void anEmptyTargetAnswerMissesEverything() {
        ShadowComparison c = ShadowComparison.compare(List.of(hit("a", 0.9), hit("b", 0.5)), List.of(), 5, L, T);

        assertThat(c).isEqualTo(new ShadowComparison(5, 2, 0, 0, 0.0, 0.0, 0.0, 0.0, L, T));
    }

    @Test
    void twoEmptyAnswersAgree() {
        assertThat(ShadowComparison.compare(List.of(), List.of(), 5, L, T))
                .isEqualTo(new ShadowComparison(5, 0, 0, 0, 1.0, 1.0, 0.0, 0.0, L, T));
    }

    @Test
    void targetHitsTheLegacyAnswerLacksLowerOverlapButNotRecall() {
        ShadowComparison c = ShadowComparison.compare(List.of(), List.of(hit("a", 0.9)), 5, L, T);

        assertThat(c.overlap()).isZero();
        assertThat(c.recall()).isEqualTo(1.0);
    }

    @Test
    void aRepeatedIdCountsOnceWithItsFirstScore() {
        List<SearchHit> legacy = List.of(hit("a", 0.9), hit("a", 0.1), hit("b", 0.8));
        List<SearchHit> target = List.of(hit("a", 0.7), hit("b", 0.8));

        ShadowComparison c = ShadowComparison.compare(legacy, target, 2, L, T);

        assertThat(c.legacyHits()).isEqualTo(2);
        assertThat(c.common()).isEqualTo(2);
        assertThat(c.overlap()).isEqualTo(1.0);
        assertThat(c.meanScoreDrift()).isCloseTo(0.1, within(1e-12));
        assertThat(c.maxScoreDrift()).isCloseTo(0.2, within(1e-12));
    }

    @Test
    void kMustBePositive() {
        assertThatThrownBy(() -> ShadowComparison.compare(List.of(), List.of(), 0, L, T))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("k must be at least 1, was 0");
    }

    static SearchHit hit(String id, double score) {
        return new SearchHit(id, "text " + id, Map.of(), score);
    }
}
