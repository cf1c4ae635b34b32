package io.vectorsync.store.pgvector;

import io.vectorsync.sink.preflight.CheckResult.Status;
import io.vectorsync.sink.preflight.CheckResult;
import org.junit.jupiter.api.Test;

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
}
