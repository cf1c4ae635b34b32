package io.vectorsync.core.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SourceDatabaseTest {
    private final SourceDatabase source = new SourceDatabase("db.internal", 5433, "shop", "replicator", "s3cret!");

    @Test
    void namesTheServerWithoutCredentials() {
        assertThat(source.address()).isEqualTo("db.internal:5433/shop");
        assertThat(source.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5433/shop");
        assertThat(source.toString()).contains("db.internal:5433/shop", "replicator", "****")
                .doesNotContain("s3cret!");
    }

    @Test
    void anEmptyPasswordIsShownAsEmptyAndANullOneBecomesEmpty() {
        SourceDatabase open = new SourceDatabase("h", 1, "d", "u", null);
        assertThat(open.password()).isEmpty();
        assertThat(open.toString()).endsWith("password=]");
    }

    @Test
    void timeoutsAreRoundedUpToWholeSecondsOfAtLeastOne() {
        assertThat(SourceDatabase.wholeSeconds(Duration.ofMillis(1))).isEqualTo(1);
        assertThat(SourceDatabase.wholeSeconds(Duration.ZERO)).isEqualTo(1);
        assertThat(SourceDatabase.wholeSeconds(Duration.ofMillis(1500))).isEqualTo(2);
        assertThat(SourceDatabase.wholeSeconds(Duration.ofSeconds(30))).isEqualTo(30);
    }
}
