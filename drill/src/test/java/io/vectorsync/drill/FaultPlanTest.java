package io.vectorsync.drill;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultPlanTest {

    private static DrillSettings settings(String seed, String faults, String without) {
        return DrillSettings.from(Map.of("drill.seed", seed, "drill.faults", faults, "drill.without", without), 0);
    }

    @Test
    void theSameSeedGivesTheSamePlanSoARunCanBeReplayed() {
        assertThat(FaultPlan.of(settings("42", "20", ""))).isEqualTo(FaultPlan.of(settings("42", "20", "")));
        assertThat(FaultPlan.of(settings("42", "20", ""))).isNotEqualTo(FaultPlan.of(settings("43", "20", "")));
    }

    @Test
    void everyAllowedKindComesOnceBeforeAnyComesTwice() {
        FaultPlan plan = FaultPlan.of(settings("7", "12", "row-2mb,row-20mb,store-hang"));
        Set<FaultKind> firstNine = plan.faults().subList(0, 9).stream().map(Fault::kind)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(FaultKind.class)));
        assertThat(firstNine).hasSize(9).doesNotContain(FaultKind.ROW_2MB, FaultKind.ROW_20MB, FaultKind.STORE_HANG);
        assertThat(plan.faults()).hasSize(12).extracting(Fault::kind)
                .doesNotContain(FaultKind.ROW_2MB, FaultKind.ROW_20MB, FaultKind.STORE_HANG);
    }

    @Test
    void killsAndStopsHitAProcessOfTheFleetAndOutagesAStore() {
        FaultPlan plan = FaultPlan.of(settings("3", "50", ""));
        plan.faults().stream().filter(f -> f.kind() == FaultKind.KILL || f.kind() == FaultKind.STOP)
                .forEach(f -> assertThat(FaultPlan.PROCESSES).contains(f.target()));
        plan.faults().stream().filter(f -> f.kind() == FaultKind.STORE_CUT || f.kind() == FaultKind.STORE_HANG)
                .forEach(f -> assertThat(f.target()).isIn("pgvector", "neo4j", "milvus"));
    }

    @Test
    void ciOutagesLastTenSecondsAndLongOnesAMinute() {
        assertThat(DrillSettings.from(Map.of(), 1).outage().toSeconds()).isEqualTo(10);
        assertThat(DrillSettings.from(Map.of(), 1).faults()).isGreaterThanOrEqualTo(10);
        assertThat(DrillSettings.from(Map.of("drill.profile", "long"), 1).outage().toSeconds()).isEqualTo(60);
    }

    @Test
    void badSettingsAreReportedTogether() {
        assertThatThrownBy(() -> DrillSettings.from(Map.of("drill.profile", "short", "drill.faults", "many",
                "drill.without", "kill,meteor"), 0))
                .hasMessageContaining("drill.profile was 'short'")
                .hasMessageContaining("drill.faults was 'many'")
                .hasMessageContaining("fault kind 'meteor' is not one of kill, stop");
    }

    @Test
    void theReplayCommandCarriesSeedFaultsAndExclusions() {
        assertThat(settings("99", "12", "store-hang").replay())
                .isEqualTo("scripts/drill.sh --profile ci --faults 12 --seed 99 --without store-hang");
    }
}
