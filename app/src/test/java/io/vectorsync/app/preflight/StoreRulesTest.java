package io.vectorsync.app.preflight;

import io.vectorsync.app.preflight.CheckResult.Status;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The pure verdicts of the Kafka, store and embedding checks. */
class StoreRulesTest {

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

    @Test
    void neo4jHasVectorIndexesFrom511WithTheProcedure() {
        assertThat(Neo4jCheck.vectorIndexSupport("5.26.30", true).status()).isEqualTo(Status.OK);
        assertThat(Neo4jCheck.vectorIndexSupport("5.11.0", true).status()).isEqualTo(Status.OK);
        assertThat(Neo4jCheck.vectorIndexSupport("2025.01.0", true).status()).isEqualTo(Status.OK);
        CheckResult old = Neo4jCheck.vectorIndexSupport("5.10.0", true);
        assertThat(old.status()).isEqualTo(Status.FAIL);
        assertThat(old.fix()).contains("upgrade Neo4j to 5.11");
        assertThat(Neo4jCheck.vectorIndexSupport("4.4.30", false).status()).isEqualTo(Status.FAIL);
        CheckResult restricted = Neo4jCheck.vectorIndexSupport("5.26.0", false);
        assertThat(restricted.status()).isEqualTo(Status.FAIL);
        assertThat(restricted.fix()).contains("dbms.security.procedures.allowlist");
    }

    @Test
    void milvusNeedsUpsertsFrom23() {
        assertThat(MilvusCheck.version("v2.3.5-lite").status()).isEqualTo(Status.OK);
        assertThat(MilvusCheck.version("2.4.0").status()).isEqualTo(Status.OK);
        CheckResult old = MilvusCheck.version("v2.2.16");
        assertThat(old.status()).isEqualTo(Status.FAIL);
        assertThat(old.fix()).contains("2.3");
    }

    @Test
    void theReplicationFactorMustFitTheBrokers() {
        assertThat(KafkaCheck.replication(1, 1).status()).isEqualTo(Status.OK);
        CheckResult r = KafkaCheck.replication(3, 1);
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.fix()).contains("kafka.topic.replication.factor to at most 1");
    }

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
    void theModelMustProduceTheConfiguredDimensionAndAUsableVector() {
        assertThat(EmbeddingCheck.dimension("m", 384, 384).status()).isEqualTo(Status.OK);
        CheckResult wrong = EmbeddingCheck.dimension("m", 384, 768);
        assertThat(wrong.status()).isEqualTo(Status.FAIL);
        assertThat(wrong.fix()).isEqualTo("set embedding.dimension=384");
        assertThat(EmbeddingCheck.probe("m", 5, List.of(new float[] {0.1f, -0.2f})).status()).isEqualTo(Status.OK);
        assertThat(EmbeddingCheck.probe("m", 5, List.of(new float[] {0f, 0f})).status()).isEqualTo(Status.FAIL);
        assertThat(EmbeddingCheck.probe("m", 5, List.of(new float[] {Float.NaN, 1f})).detail()).contains("NaN");
        assertThat(EmbeddingCheck.probe("m", 5, List.of()).status()).isEqualTo(Status.FAIL);
    }
}
