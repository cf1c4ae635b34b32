package io.vectorsync.store.neo4j;

import io.vectorsync.sink.preflight.CheckResult.Status;
import io.vectorsync.sink.preflight.CheckResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The pure verdicts of the Neo4j preflight check. */
class Neo4jCheckTest {

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
}
