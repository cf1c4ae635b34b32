package io.vectorsync.validation;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static io.vectorsync.validation.DifferenceKind.DRIFTED;
import static io.vectorsync.validation.DifferenceKind.MISSING;
import static io.vectorsync.validation.DifferenceKind.ORPHANED;
import static io.vectorsync.validation.DifferenceKind.STALE;
import static org.assertj.core.api.Assertions.assertThat;

class StoreTallyTest {

    @Test
    void matchedIsCheckedRowsWithoutASourceSideDifference() {
        StoreTally t = new StoreTally();
        t.checked("1", List.of("1"), Optional.empty());
        t.checked("2", List.of("2"), Optional.of(MISSING));
        t.checked("3", List.of("3"), Optional.of(STALE));
        t.checked("4", List.of("4"), Optional.of(DRIFTED));
        t.orphan("x", null);

        assertThat(t.checked()).isEqualTo(4);
        assertThat(t.matched()).isEqualTo(1);
        assertThat(t.ids(ORPHANED)).containsExactly("x");
        assertThat(t.differing()).containsOnlyKeys("2", "3", "4", "x");
        assertThat(t.keyOf("3")).containsExactly("3");
        assertThat(t.clean()).isFalse();
    }

    @Test
    void aRecheckKeepsWhatPersistsAndMovesRowsInAndOutOfTheChecked() {
        StoreTally t = new StoreTally();
        t.checked("1", List.of("1"), Optional.of(MISSING));
        t.checked("2", List.of("2"), Optional.of(STALE));
        t.checked("3", List.of("3"), Optional.of(MISSING));
        t.orphan("9", List.of("9"));

        t.recheck("1", Optional.empty());          // arrived meanwhile
        t.recheck("2", Optional.of(DRIFTED));      // now current text, wrong vector
        t.recheck("3", Optional.of(ORPHANED));     // deleted from the source, not yet from the store
        t.recheck("9", Optional.of(MISSING));      // appeared in the source, not yet in the store
        t.recheck("404", Optional.of(STALE));      // never differed: ignored

        assertThat(t.ids(MISSING)).containsExactly("9");
        assertThat(t.ids(DRIFTED)).containsExactly("2");
        assertThat(t.ids(ORPHANED)).containsExactly("3");
        assertThat(t.ids(STALE)).isEmpty();
        assertThat(t.checked()).isEqualTo(3);
        assertThat(t.matched()).isEqualTo(1);
        assertThat(t.keyOf("9")).containsExactly("9");
    }

    @Test
    void roundTripsThroughItsCheckpointState() {
        StoreTally t = new StoreTally();
        t.checked("1", List.of("1"), Optional.of(MISSING));
        t.checked("2", List.of("2"), Optional.empty());
        t.orphan("a|b", null);

        StoreTally back = StoreTally.of(t.state());

        assertThat(back.state()).isEqualTo(t.state());
        assertThat(back.checked()).isEqualTo(2);
        assertThat(back.keyOf("a|b")).isNull();
        assertThat(back.kindOf("a|b")).contains(ORPHANED);
    }
}
