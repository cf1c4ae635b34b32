package io.vectorsync.core.mode;

import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StatusSuccessionTest {
    private static final ModeStatus HELD = status(StorageMode.DUAL_WRITE, 7, SinkName.PGVECTOR, SinkName.NEO4J);

    @Test
    void aHigherEpochReplacesWhatIsHeldAndTheFirstStatusIsTaken() {
        assertThat(StatusSuccession.refusal(HELD, status(StorageMode.SHADOW, 8, SinkName.PGVECTOR,
                SinkName.NEO4J))).isEmpty();
        assertThat(StatusSuccession.refusal(null, HELD)).isEmpty();
    }

    @Test
    void theSameEpochAndModeIsAProgressUpdateAndIsTaken() {
        assertThat(StatusSuccession.refusal(HELD, HELD.withBackfill(Backfill.started("b", StorageMode.StoreRole.TARGET,
                SinkName.NEO4J, 5)))).isEmpty();
    }

    @Test
    void aLowerEpochIsRefusedNamingBothEpochs() {
        assertThat(StatusSuccession.refusal(HELD, status(StorageMode.TARGET_ONLY, 6, SinkName.PGVECTOR,
                SinkName.NEO4J))).hasValue("its epoch 6 is older than the epoch 7 already applied (DUAL_WRITE)");
    }

    @Test
    void anotherModeOrStoreUnderTheSameEpochIsRefused() {
        assertThat(StatusSuccession.refusal(HELD, status(StorageMode.TARGET_ONLY, 7, SinkName.PGVECTOR,
                SinkName.NEO4J))).hasValue("it says TARGET_ONLY (legacy pgvector, target neo4j) under the epoch 7"
                + " already applied as DUAL_WRITE (legacy pgvector, target neo4j); a mode change always takes a new"
                + " epoch");
        assertThat(StatusSuccession.refusal(HELD, status(StorageMode.DUAL_WRITE, 7, SinkName.PGVECTOR,
                SinkName.MILVUS))).isPresent();
    }

    private static ModeStatus status(StorageMode mode, long epoch, SinkName legacy, SinkName target) {
        return new ModeStatus("articles", mode, epoch, legacy, target, 1_000, "op", "test", false, null, null);
    }
}
