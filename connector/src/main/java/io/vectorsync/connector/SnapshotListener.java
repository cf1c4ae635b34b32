package io.vectorsync.connector;

import io.vectorsync.core.model.TableId;

/**
 * Hears about incremental snapshots from the {@link CdcPublisher}, in the order Debezium emitted the records and
 * only once Kafka acknowledged the batch they came in. Called on the engine's thread.
 */
public interface SnapshotListener {
    /** Listens to nothing. */
    SnapshotListener NONE = new SnapshotListener() {
        @Override
        public void snapshotRow(TableId table) {
        }

        @Override
        public void notified(SnapshotNotification notification) {
        }
    };

    /** One incremental-snapshot row of {@code table} (op "r", source.snapshot "incremental") was published. */
    void snapshotRow(TableId table);

    /** Debezium sent a notification; it is not published. */
    void notified(SnapshotNotification notification);

    /**
     * Debezium read an execute-snapshot signal: its row in the signal table reached the stream, so the tables it
     * names are in Debezium's snapshot queue, behind those queued before. Not every listener cares.
     */
    default void signalled(String signalId) {
    }

    /**
     * One initial-snapshot row of {@code table} ({@code source.snapshot} neither "false" nor "incremental") was
     * published; {@code lastOfTable} when Debezium marked it the table's last ("last_in_data_collection", "last").
     */
    default void initialSnapshotRow(TableId table, boolean lastOfTable) {
    }

    /** Tells both listeners everything, {@code first} first. */
    static SnapshotListener both(SnapshotListener first, SnapshotListener second) {
        return new SnapshotListener() {
            @Override
            public void snapshotRow(TableId table) {
                first.snapshotRow(table);
                second.snapshotRow(table);
            }

            @Override
            public void notified(SnapshotNotification notification) {
                first.notified(notification);
                second.notified(notification);
            }

            @Override
            public void signalled(String signalId) {
                first.signalled(signalId);
                second.signalled(signalId);
            }

            @Override
            public void initialSnapshotRow(TableId table, boolean lastOfTable) {
                first.initialSnapshotRow(table, lastOfTable);
                second.initialSnapshotRow(table, lastOfTable);
            }
        };
    }
}
