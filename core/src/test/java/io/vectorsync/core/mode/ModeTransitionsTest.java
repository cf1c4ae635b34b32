package io.vectorsync.core.mode;

import io.vectorsync.core.model.StorageMode;
import io.vectorsync.core.model.StorageMode.StoreRole;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static io.vectorsync.core.model.StorageMode.CUTOVER;
import static io.vectorsync.core.model.StorageMode.DUAL_WRITE;
import static io.vectorsync.core.model.StorageMode.SHADOW;
import static io.vectorsync.core.model.StorageMode.SOURCE_ONLY;
import static io.vectorsync.core.model.StorageMode.TARGET_ONLY;
import static org.assertj.core.api.Assertions.assertThat;

class ModeTransitionsTest {
    /** The whole state machine, written out by hand: from -> the modes it may move to. */
    private static final Map<StorageMode, Set<StorageMode>> EXPECTED = Map.of(
            SOURCE_ONLY, Set.of(DUAL_WRITE),
            DUAL_WRITE, Set.of(SOURCE_ONLY, SHADOW, CUTOVER),
            SHADOW, Set.of(SOURCE_ONLY, DUAL_WRITE, CUTOVER),
            CUTOVER, Set.of(SOURCE_ONLY, DUAL_WRITE, SHADOW, TARGET_ONLY),
            TARGET_ONLY, Set.of(CUTOVER));

    static Stream<Arguments> everyPair() {
        return Arrays.stream(StorageMode.values()).flatMap(from -> Arrays.stream(StorageMode.values())
                .map(to -> Arguments.of(from, to)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("everyPair")
    void everyMoveIsAllowedOrRefusedWithAReason(StorageMode from, StorageMode to) {
        Optional<String> refusal = ModeTransitions.refusal(from, to);

        assertThat(refusal.isEmpty()).isEqualTo(EXPECTED.get(from).contains(to));
        refusal.ifPresent(r -> assertThat(r).contains(to.name()));
        assertThat(ModeTransitions.allowed(from)).isEqualTo(EXPECTED.get(from));
    }

    @Test
    void onlyAForwardMoveIntoCutoverAsksTheGate() {
        assertThat(ModeTransitions.gated(DUAL_WRITE, CUTOVER)).isTrue();
        assertThat(ModeTransitions.gated(SHADOW, CUTOVER)).isTrue();
        assertThat(ModeTransitions.gated(TARGET_ONLY, CUTOVER)).isFalse();
        assertThat(ModeTransitions.gated(CUTOVER, TARGET_ONLY)).isFalse();
        assertThat(ModeTransitions.gated(CUTOVER, DUAL_WRITE)).isFalse();
    }

    @Test
    void aStoreThatStartsReceivingWritesIsBackfilled() {
        assertThat(ModeTransitions.backfills(SOURCE_ONLY, DUAL_WRITE)).contains(StoreRole.TARGET);
        assertThat(ModeTransitions.backfills(TARGET_ONLY, CUTOVER)).contains(StoreRole.LEGACY);
        assertThat(ModeTransitions.backfills(DUAL_WRITE, SHADOW)).isEmpty();
        assertThat(ModeTransitions.backfills(CUTOVER, DUAL_WRITE)).isEmpty();
        assertThat(ModeTransitions.backfills(CUTOVER, SOURCE_ONLY)).isEmpty();
    }

    @Test
    void theTargetIsBestEffortUntilCutoverAndLegacyStaysRequiredUntilRetired() {
        assertThat(DUAL_WRITE.delivery(StoreRole.TARGET)).contains(StorageMode.Delivery.BEST_EFFORT);
        assertThat(SHADOW.delivery(StoreRole.TARGET)).contains(StorageMode.Delivery.BEST_EFFORT);
        assertThat(CUTOVER.delivery(StoreRole.TARGET)).contains(StorageMode.Delivery.REQUIRED);
        assertThat(CUTOVER.delivery(StoreRole.LEGACY)).contains(StorageMode.Delivery.REQUIRED);
        assertThat(TARGET_ONLY.delivery(StoreRole.LEGACY)).isEmpty();
        assertThat(SOURCE_ONLY.delivery(StoreRole.TARGET)).isEmpty();
        assertThat(CUTOVER.reads()).isEqualTo(StoreRole.TARGET);
        assertThat(SHADOW.reads()).isEqualTo(StoreRole.LEGACY);
    }
}
