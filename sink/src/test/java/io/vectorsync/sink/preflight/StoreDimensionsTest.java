package io.vectorsync.sink.preflight;

import io.vectorsync.sink.preflight.CheckResult.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The dimension rules every store check applies. */
class StoreDimensionsTest {

    @Test
    void aMissingStoreObjectWarnsThatItIsCreatedWithTheConfiguredDimension() {
        CheckResult r = StoreDimensions.existing("pgvector.table:a", "pgvector table \"public\".\"a\"", false, null,
                384, "DROP TABLE \"public\".\"a\"");

        assertThat(r.status()).isEqualTo(Status.WARN);
        assertThat(r.detail()).contains("created at start with 384 dimensions");
    }

    @Test
    void aStoreObjectOfAnotherDimensionFailsNamingItBothDimensionsAndTheDrop() {
        CheckResult r = StoreDimensions.existing("pgvector.table:a", "pgvector table \"public\".\"a\"", true, 768,
                384, "DROP TABLE \"public\".\"a\"");

        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.detail()).contains("\"public\".\"a\"").contains("768").contains("embedding.dimension is 384");
        assertThat(r.fix()).contains("DROP TABLE \"public\".\"a\"").contains("384");
    }

    @Test
    void aStoreObjectOfTheConfiguredDimensionIsReadyAndOneWithoutVectorsIsNotOurs() {
        assertThat(StoreDimensions.existing("c", "x", true, 384, 384, "drop x").status()).isEqualTo(Status.OK);
        CheckResult foreign = StoreDimensions.existing("c", "x", true, null, 384, "drop x");
        assertThat(foreign.status()).isEqualTo(Status.FAIL);
        assertThat(foreign.detail()).contains("not created by vectorsync");
        assertThat(StoreDimensions.existing("c", "x", true, -1, 384, "drop x").detail())
                .contains("no declared dimension");
    }

    @Test
    void aDimensionOverAStoresLimitFails() {
        assertThat(StoreDimensions.limit("pgvector", 2000, 2000, "hnsw").status()).isEqualTo(Status.OK);
        CheckResult over = StoreDimensions.limit("pgvector", 3072, 2000, "hnsw");
        assertThat(over.check()).isEqualTo("embedding.dimension:pgvector");
        assertThat(over.status()).isEqualTo(Status.FAIL);
        assertThat(over.fix()).contains("at most 2000");
    }
}
