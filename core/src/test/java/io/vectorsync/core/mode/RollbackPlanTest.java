package io.vectorsync.core.mode;

import io.vectorsync.core.mode.RollbackPlan.AwaitBackfill;
import io.vectorsync.core.mode.RollbackPlan.Request;
import io.vectorsync.core.mode.RollbackPlan.Validate;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode;
import io.vectorsync.core.model.StorageMode.StoreRole;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static io.vectorsync.core.model.StorageMode.CUTOVER;
import static io.vectorsync.core.model.StorageMode.DUAL_WRITE;
import static io.vectorsync.core.model.StorageMode.SHADOW;
import static io.vectorsync.core.model.StorageMode.SOURCE_ONLY;
import static io.vectorsync.core.model.StorageMode.TARGET_ONLY;
import static org.assertj.core.api.Assertions.assertThat;

class RollbackPlanTest {
    private static final Backfill TARGET_FILLED = new Backfill("a-1", StoreRole.TARGET, SinkName.MILVUS,
            Backfill.State.COMPLETED, 10, 10, 1, 2);
    private static final Backfill LEGACY_FILLED = new Backfill("a-5", StoreRole.LEGACY, SinkName.PGVECTOR,
            Backfill.State.COMPLETED, 10, 10, 3, 4);

    @Test
    void oneStepBackTowardsTheLegacyStoreWhenItWasWrittenThroughout() {
        assertThat(plan(DUAL_WRITE, TARGET_FILLED, null).steps()).containsExactly(new Request(SOURCE_ONLY,
                "reads on the legacy store pgvector; the legacy store was written throughout, so nothing is refilled"));
        assertThat(plan(SHADOW, TARGET_FILLED, null).to()).isEqualTo(DUAL_WRITE);
        RollbackPlan cutover = plan(CUTOVER, TARGET_FILLED, null);
        assertThat(cutover.to()).isEqualTo(DUAL_WRITE);
        assertThat(cutover.steps()).extracting(RollbackPlan.Step::getClass).containsExactly(Request.class);
    }

    @Test
    void fromTargetOnlyTheLegacyStoreIsRefilledOrphanPassedAndValidatedBeforeReadsGoBack() {
        RollbackPlan p = plan(TARGET_ONLY, TARGET_FILLED, null);

        assertThat(p.from()).isEqualTo(TARGET_ONLY);
        assertThat(p.to()).isEqualTo(DUAL_WRITE);
        assertThat(p.steps()).containsExactly(
                new Request(CUTOVER, "write both stores again; the legacy store pgvector is backfilled while the"
                        + " target milvus keeps serving reads"),
                new AwaitBackfill(SinkName.PGVECTOR),
                new Validate(SinkName.PGVECTOR, true),
                new Validate(SinkName.PGVECTOR, false),
                new Request(DUAL_WRITE, "reads back on pgvector; gated until it is caught up and validated"));
    }

    @Test
    void fromACutoverThatRefilledTheLegacyStoreTheRefillIsFinishedFirst() {
        assertThat(plan(CUTOVER, LEGACY_FILLED, SOURCE_ONLY).steps()).extracting(RollbackPlan.Step::describe)
                .containsExactly(
                        "wait until the backfill of the legacy store pgvector has COMPLETED",
                        "orphan pass: validate pgvector with --repair (deletes the documents of rows removed while it"
                                + " was retired, re-drives any row that differs)",
                        "validate pgvector again; the result is published for the rollback gate",
                        "request SOURCE_ONLY: reads back on pgvector; gated until it is caught up and validated");
    }

    @Test
    void targetOnlyBackToCutoverOnlyStartsTheRefill() {
        assertThat(plan(TARGET_ONLY, TARGET_FILLED, CUTOVER).steps()).extracting(RollbackPlan.Step::getClass)
                .containsExactly(Request.class);
    }

    @Test
    void nothingToRollBackOrNotEarlierIsRefusedWithTheReason() {
        assertThat(RollbackPlan.of(status(SOURCE_ONLY, null), Optional.empty()).refusal())
                .hasValue("articles is in SOURCE_ONLY: there is nothing to roll back");
        assertThat(RollbackPlan.of(status(SHADOW, TARGET_FILLED), Optional.of(CUTOVER)).refusal())
                .hasValue("CUTOVER is not earlier than SHADOW; a rollback goes to an earlier mode");
        assertThat(RollbackPlan.of(status(SHADOW, TARGET_FILLED), Optional.of(SHADOW)).plan()).isEmpty();
    }

    private static RollbackPlan plan(StorageMode from, Backfill backfill, StorageMode to) {
        return RollbackPlan.of(status(from, backfill), Optional.ofNullable(to)).plan().orElseThrow();
    }

    private static ModeStatus status(StorageMode mode, Backfill backfill) {
        return new ModeStatus("articles", mode, 4, SinkName.PGVECTOR, SinkName.MILVUS, 1, "ana", "why", false,
                backfill, null);
    }
}
