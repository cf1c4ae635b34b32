package io.vectorsync.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QuantitiesTest {

    @Test
    void recordsAreCountedInTheSingularOnlyForOne() {
        assertThat(Quantities.records(0)).isEqualTo("0 records");
        assertThat(Quantities.records(1)).isEqualTo("1 record");
        assertThat(Quantities.records(1234)).isEqualTo("1234 records");
    }

    @Test
    void bytesUseBinaryUnitsFromOneKibibyte() {
        assertThat(Quantities.bytes(1023)).isEqualTo("1023 B");
        assertThat(Quantities.bytes(1024)).isEqualTo("1.0 KiB");
        assertThat(Quantities.bytes(48_825_512)).isEqualTo("46.6 MiB");
    }
}
