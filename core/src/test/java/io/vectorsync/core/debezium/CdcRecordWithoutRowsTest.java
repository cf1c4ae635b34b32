package io.vectorsync.core.debezium;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a dead letter keeps of a change event too large to keep whole. */
class CdcRecordWithoutRowsTest {

    @Test
    void keepsEverythingButTheRows() {
        String event = "{\"before\":{\"id\":1,\"body\":\"old\"},\"after\":{\"id\":1,\"body\":\"new\",\"tags\":[1,2]},"
                + "\"source\":{\"schema\":\"public\",\"table\":\"docs\",\"lsn\":42,\"txId\":7},\"op\":\"u\","
                + "\"ts_ms\":5}";

        assertThat(CdcRecordParser.withoutRows(event)).isEqualTo(
                "{\"source\":{\"schema\":\"public\",\"table\":\"docs\",\"lsn\":42,\"txId\":7},\"op\":\"u\",\"ts_ms\":5}");
    }

    @Test
    void somethingThatIsNotAJsonObjectGivesNull() {
        assertThat(CdcRecordParser.withoutRows("[1,2]")).isNull();
        assertThat(CdcRecordParser.withoutRows("{not json")).isNull();
        assertThat(CdcRecordParser.withoutRows(null)).isNull();
    }
}
