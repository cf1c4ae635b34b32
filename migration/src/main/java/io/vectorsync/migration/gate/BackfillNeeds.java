package io.vectorsync.migration.gate;

import io.vectorsync.core.kafka.RetentionGap;
import io.vectorsync.core.mode.Backfill;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.validation.ValidationResult;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which retention gaps still stand. A gap (changes of a store's topic that expired unread) is made good by a backfill
 * of the collection into that store that started after the gap was detected and completed, or by a full validation
 * of the collection in that store, finished after the detection, that matched every row. Until then the collection
 * needs a backfill. Pure.
 */
public final class BackfillNeeds {
    private BackfillNeeds() {
    }

    public static List<RetentionGap> unresolved(Collection<RetentionGap> gaps,
                                                Function<String, Optional<ModeStatus>> statuses,
                                                ValidationResults validations) {
        return gaps.stream().filter(g -> !resolved(g, statuses.apply(g.collection()),
                validations.latest(g.collection(), g.store()))).toList();
    }

    static boolean resolved(RetentionGap gap, Optional<ModeStatus> status, Optional<ValidationResult> validation) {
        Backfill b = status.map(ModeStatus::backfill).orElse(null);
        if (b != null && b.sink() == gap.store() && b.state() == Backfill.State.COMPLETED
                && b.startedAtMs() >= gap.detectedAtMs()) {
            return true;
        }
        return validation.filter(v -> v.full() && v.checked() > 0 && v.matched() == v.checked()
                && v.finishedAtMs() >= gap.detectedAtMs()).isPresent();
    }
}
