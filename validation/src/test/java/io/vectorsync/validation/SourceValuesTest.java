package io.vectorsync.validation;

import org.junit.jupiter.api.Test;
import org.postgresql.util.PGInterval;

import static org.assertj.core.api.Assertions.assertThat;

class SourceValuesTest {

    @Test
    void aJdbcIntervalBecomesDebeziumsMicroseconds() {
        assertThat(SourceValues.intervalMicros(new PGInterval(0, 0, 1, 2, 3, 4.5))).isEqualTo(93784500000L);
    }

    @Test
    void moneyIsSelectedAsNumericEverythingElseAsItself() {
        assertThat(new SourceColumn("price", "money", -1).selectExpression()).isEqualTo("\"price\"::numeric");
        assertThat(new SourceColumn("title", "text", -1).selectExpression()).isEqualTo("\"title\"");
        assertThat(new SourceColumn("ts", "timestamptz", -1).fractionDigits()).isEqualTo(6);
        assertThat(new SourceColumn("ts", "timestamptz", 3).fractionDigits()).isEqualTo(3);
    }
}
