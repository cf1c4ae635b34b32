package io.vectorsync.core.mode;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode.StoreRole;

/**
 * Asks the connector to replay a collection's existing rows through the pipeline (a Debezium incremental snapshot).
 * Written by the mode controller to {@code Topics.backfillRequests()}, keyed by collection.
 *
 * @param table the source table, {@code schema.table}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BackfillRequest(String backfillId, String collection, String table, StoreRole store, SinkName sink,
                              long requestedAtMs) {
}
