package io.vectorsync.connector;

import io.vectorsync.core.model.TableId;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotNotificationTest {

    @Test
    void readsATableScanCompletedAsDebeziumsSinkChannelWritesIt() {
        // As Debezium 3.6.1 emitted it in BackfillIT's first run.
        SnapshotNotification n = SnapshotNotification.parse("{\"id\":\"sig-1\",\"type\":\"TABLE_SCAN_COMPLETED\","
                + "\"aggregate_type\":\"Incremental Snapshot\",\"additional_data\":{\"scanned_collection\":"
                + "\"public.docs_978e0718\",\"connector_name\":\"cdc\",\"total_rows_scanned\":\"10\",\"status\":"
                + "\"SUCCEEDED\",\"data_collections\":\"public.docs_978e0718\"},\"timestamp\":1795253474503}");

        assertThat(n.id()).isEqualTo("sig-1");
        assertThat(n.incremental()).isTrue();
        assertThat(n.type()).isEqualTo("TABLE_SCAN_COMPLETED");
        assertThat(n.scannedTable()).contains(new TableId("public", "docs_978e0718"));
        assertThat(n.scanSucceeded()).isTrue();
        assertThat(n.data()).containsEntry("total_rows_scanned", "10");
    }

    @Test
    void anInitialSnapshotNotificationIsNotIncremental() {
        SnapshotNotification n = SnapshotNotification.parse("{\"id\":\"a\",\"type\":\"SKIPPED\",\"aggregate_type\":"
                + "\"Initial Snapshot\",\"additional_data\":{\"connector_name\":\"cdc\"},\"timestamp\":1}");

        assertThat(n.incremental()).isFalse();
        assertThat(n.scannedTable()).isEmpty();
    }

    @Test
    void scanStatusesOtherThanSucceededOrEmptyAreNoSuccess() {
        for (String status : new String[] {"NO_PRIMARY_KEY", "SKIPPED", "SQL_EXCEPTION", "UNKNOWN_SCHEMA"}) {
            assertThat(new SnapshotNotification("x", "Incremental Snapshot", "TABLE_SCAN_COMPLETED",
                    Map.of("status", status)).scanSucceeded()).as(status).isFalse();
        }
        assertThat(new SnapshotNotification("x", "Incremental Snapshot", "TABLE_SCAN_COMPLETED",
                Map.of("status", "EMPTY")).scanSucceeded()).isTrue();
    }

    @Test
    void dataCollectionsSkipNamesThatAreNoTableOfOurs() {
        SnapshotNotification n = new SnapshotNotification("x", "Incremental Snapshot", "ABORTED",
                Map.of("data_collections", "public.docs, shop.items,bad-name.x,"));

        assertThat(n.dataCollections()).containsExactly(new TableId("public", "docs"), new TableId("shop", "items"));
    }

    @Test
    void textThatIsNoNotificationIsRefusedSayingWhy() {
        assertThatThrownBy(() -> SnapshotNotification.parse("{\"id\":\"x\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lacks 'type' or 'aggregate_type'");
        assertThatThrownBy(() -> SnapshotNotification.parse("{oops"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid JSON");
    }
}
