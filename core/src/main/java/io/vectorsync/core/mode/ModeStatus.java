package io.vectorsync.core.mode;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.vectorsync.core.config.Migration;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode;
import io.vectorsync.core.model.StorageMode.StoreRole;

/**
 * The applied storage mode of one collection: the status topic's value, keyed by collection. Every record carries
 * the whole state, so the compacted topic's last record per collection is all a reader needs.
 *
 * @param epoch       the pipeline-wide epoch of the change that set this mode (0: never changed)
 * @param backfill    the last backfill of a store this mode writes, or null
 * @param lastRequest the last request that named this collection, applied or not; null before any
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ModeStatus(String collection, StorageMode mode, long epoch, SinkName legacy, SinkName target,
                         long updatedAtMs, String requestedBy, String reason, boolean forced, Backfill backfill,
                         RequestOutcome lastRequest) {

    /**
     * The Kafka header, stamped at routing on every sink-topic record, that names the epoch of the status the record
     * was routed under (decimal). A sink whose view of the status is older than that cannot trust it yet.
     */
    public static final String EPOCH_HEADER = "vectorsync.epoch";

    /** Where every migrating collection starts. */
    public static ModeStatus initial(String collection, Migration migration, long nowMs) {
        return new ModeStatus(collection, StorageMode.SOURCE_ONLY, 0, migration.legacy(), migration.target(), nowMs,
                "vectorsync", "initial mode", false, null, null);
    }

    /**
     * Reads the status a status-topic record carries for the collection named by its key.
     *
     * @throws IllegalArgumentException saying why the value is not a status of that collection
     */
    public static ModeStatus read(String collection, String json) {
        ModeStatus status = Json.read(json, ModeStatus.class);
        if (status == null || status.mode() == null) {
            throw new IllegalArgumentException("it names no mode");
        }
        if (!collection.equals(status.collection())) {
            throw new IllegalArgumentException("it is the status of collection '" + status.collection() + "'");
        }
        return status;
    }

    /** The store that serves reads in this mode. */
    public SinkName readStore() {
        return store(mode.reads());
    }

    public SinkName store(StoreRole role) {
        return role == StoreRole.LEGACY ? legacy : target;
    }

    public ModeStatus withLastRequest(RequestOutcome outcome) {
        return new ModeStatus(collection, mode, epoch, legacy, target, updatedAtMs, requestedBy, reason, forced,
                backfill, outcome);
    }

    public ModeStatus withBackfill(Backfill next) {
        return new ModeStatus(collection, mode, epoch, legacy, target, updatedAtMs, requestedBy, reason, forced,
                next, lastRequest);
    }
}
