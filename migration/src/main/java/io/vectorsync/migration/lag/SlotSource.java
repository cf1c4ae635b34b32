package io.vectorsync.migration.lag;

import io.vectorsync.core.source.SourceDatabase;

/**
 * The source database and the replication slot of its connector, whose lag the monitor reads: the connector's
 * {@code source.*} settings. The password never appears in {@link #toString()}.
 */
public record SlotSource(SourceDatabase database, String slotName) {

    /** {@code host:port/database}, as the connector names the source: never with credentials. */
    public String address() {
        return database.address();
    }
}
