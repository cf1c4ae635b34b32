package io.vectorsync.app.metrics;

import io.vectorsync.core.mode.Backfill;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode;
import io.vectorsync.core.model.StorageMode.StoreRole;

/** Mode statuses for tests. */
final class Statuses {
    private Statuses() {
    }

    static ModeStatus status(String collection, StorageMode mode, long epoch, Backfill backfill) {
        return new ModeStatus(collection, mode, epoch, SinkName.PGVECTOR, SinkName.MILVUS, 1_000, "test", "test",
                false, backfill, null);
    }

    static Backfill backfill(Backfill.State state, long done, long total) {
        return new Backfill("bf-1", StoreRole.TARGET, SinkName.MILVUS, state, done, total, 1_000,
                state == Backfill.State.RUNNING ? 0 : 2_000);
    }
}
