package io.vectorsync.core.mode;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The connector's progress on one backfill, written to {@code Topics.backfillProgress()} keyed by collection.
 *
 * @param rowsDone  rows the snapshot has emitted so far
 * @param rowsTotal rows in the table when the backfill started, -1 if unknown
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BackfillProgress(String backfillId, String collection, Backfill.State state, long rowsDone,
                               long rowsTotal, long atMs) {
}
