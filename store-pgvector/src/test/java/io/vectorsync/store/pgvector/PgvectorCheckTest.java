package io.vectorsync.store.pgvector;

import io.vectorsync.sink.preflight.CheckResult.Status;
import io.vectorsync.sink.preflight.CheckResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The pure verdicts of the pgvector preflight check. */
class PgvectorCheckTest {

    @Test
    void pgvectorInstalledIsReadyAvailableWarnsAndAbsentFailsSayingHowToInstall() {
        assertThat(PgvectorCheck.extension("vectors", 15, Optional.of("0.8.0"), Optional.of("0.8.0")).status())
                .isEqualTo(Status.OK);
        assertThat(PgvectorCheck.extension("vectors", 15, Optional.empty(), Optional.of("0.8.0")).status())
                .isEqualTo(Status.WARN);
        CheckResult absent = PgvectorCheck.extension("vectors", 15, Optional.empty(), Optional.empty());
        assertThat(absent.status()).isEqualTo(Status.FAIL);
        assertThat(absent.fix()).startsWith("CREATE EXTENSION vector (install pgvector:")
                .contains("postgresql-15-pgvector");
    }

    @Test
    void aTextSearchConfigurationTheDatabaseLacksFailsNamingTheKeyAndTheChoices() {
        assertThat(PgvectorCheck.textSearch("vectors", "english", List.of("english", "simple")))
                .isEqualTo(CheckResult.ok("pgvector.text_search", "text search configuration english"
                        + " (sink.pgvector.text.search.config) exists in database vectors"));
        assertThat(PgvectorCheck.textSearch("vectors", "klingon", List.of("english", "simple")))
                .isEqualTo(CheckResult.fail("pgvector.text_search", "database vectors has no text search"
                        + " configuration 'klingon' (sink.pgvector.text.search.config)",
                        "set sink.pgvector.text.search.config to one of english, simple"));
    }
}
