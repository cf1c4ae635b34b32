package io.vectorsync.core.debezium;

import io.vectorsync.core.model.ChangeEvent;
import io.vectorsync.core.model.Operation;
import io.vectorsync.core.model.StreamPosition;
import io.vectorsync.core.model.TableId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Debezium's truncate event (skipped.operations=none): no key, no rows, only the table and its place in the WAL. */
class TruncateEventParsingTest {

    @Test
    void aTruncateEventIsReadAsATruncateOfItsTableAtItsLsnWithoutKeyOrRows() {
        String value = "{\"before\":null,\"after\":null,\"op\":\"t\",\"ts_ms\":1700000000500,\"source\":{"
                + "\"version\":\"3.6.1.Final\",\"connector\":\"postgresql\",\"name\":\"cdc\",\"ts_ms\":1700000000123,"
                + "\"snapshot\":\"false\",\"db\":\"shop\",\"sequence\":\"[\\\"55803100\\\",\\\"55803240\\\"]\","
                + "\"schema\":\"public\",\"table\":\"docs\",\"txId\":812,\"lsn\":55803240,\"xmin\":null}}";

        ChangeEvent event = CdcRecordParser.parse(null, value);

        assertThat(event.op()).isEqualTo(Operation.TRUNCATE);
        assertThat(event.isTruncate()).isTrue();
        assertThat(event.isDelete()).isFalse();
        assertThat(event.table()).isEqualTo(new TableId("public", "docs"));
        assertThat(event.key()).isEmpty();
        assertThat(event.before()).isEmpty();
        assertThat(event.after()).isEmpty();
        assertThat(event.lsn()).isEqualTo(55_803_240L);
        assertThat(event.position()).isEqualTo(new StreamPosition(55_803_100L, 55_803_240L));
        assertThat(event.sourceTsMs()).isEqualTo(1_700_000_000_123L);
        assertThat(event.incrementalSnapshot()).isFalse();
    }
}
