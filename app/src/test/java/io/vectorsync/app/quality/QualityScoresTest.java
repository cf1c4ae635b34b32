package io.vectorsync.app.quality;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class QualityScoresTest {

    @Test
    void recallAndMrrAreAveragedOverQueriesWithinTheFirstK() {
        // q1: relevant {a} at rank 2 → recall 1, rr 1/2
        // q2: relevant {x, y}, y at rank 1, x beyond k=3 → recall 1/2, rr 1
        // q3: relevant {z}, absent → 0, 0
        QualityScores.Score s = QualityScores.score(
                List.of(List.of("b", "a", "c"), List.of("y", "b", "c", "x"), List.of("b")),
                List.of(Set.of("a"), Set.of("x", "y"), Set.of("z")), 3);

        assertThat(s.recall()).isCloseTo((1 + 0.5 + 0) / 3, within(1e-12));
        assertThat(s.mrr()).isCloseTo((0.5 + 1 + 0) / 3, within(1e-12));
        assertThat(s.queries()).isEqualTo(3);
    }

    @Test
    void theShippedSetLoadsAndEveryLabelNamesOneOfItsDocuments() {
        LabelledSet set = LabelledSet.load();

        assertThat(set.documents()).hasSize(40);
        assertThat(set.queries()).hasSize(22);
        assertThat(set.documents().get(0).text()).startsWith("How rockets reach orbit: A rocket reaches orbit");
        assertThat(set.queries().get(0)).isEqualTo(new LabelledSet.Query("ERR-40417", Set.of("e01")));
    }
}
