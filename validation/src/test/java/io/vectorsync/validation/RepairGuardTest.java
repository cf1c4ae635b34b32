package io.vectorsync.validation;

import io.vectorsync.core.mode.Backfill;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode.StoreRole;
import io.vectorsync.core.model.StorageMode;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RepairGuardTest {

    @Test
    void aRunningBackfillRefusesTheRepairSayingWhy() {
        Backfill running = new Backfill("b1", StoreRole.TARGET, SinkName.MILVUS, Backfill.State.RUNNING, 120, 500, 1,
                0);

        assertThat(RepairGuard.refusal("docs", Optional.of(status(running)))).hasValueSatisfying(reason ->
                assertThat(reason).isEqualTo("--repair refused for collection 'docs': a backfill of its target store"
                        + " milvus is RUNNING (120/500 rows, RUNNING); it re-reads every row itself. Validate again"
                        + " once it has COMPLETED (vectorsync mode status)."));
    }

    @Test
    void noBackfillACompletedOneOrNoMigrationLetsItGoAhead() {
        Backfill done = new Backfill("b1", StoreRole.TARGET, SinkName.MILVUS, Backfill.State.COMPLETED, 500, 500, 1,
                2);
        assertThat(RepairGuard.refusal("docs", Optional.of(status(done)))).isEmpty();
        assertThat(RepairGuard.refusal("docs", Optional.of(status(null)))).isEmpty();
        assertThat(RepairGuard.refusal("docs", Optional.empty())).isEmpty();
    }

    private static ModeStatus status(Backfill backfill) {
        return new ModeStatus("docs", StorageMode.DUAL_WRITE, 1, SinkName.PGVECTOR, SinkName.MILVUS, 1, "ana",
                "start", false, backfill, null);
    }
}
