package io.vectorsync.store.milvus;

import io.vectorsync.sink.preflight.CheckResult.Status;
import io.vectorsync.sink.preflight.CheckResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The pure verdicts of the Milvus preflight check. */
class MilvusCheckTest {

    @Test
    void milvusNeedsUpsertsFrom23() {
        assertThat(MilvusCheck.version("v2.3.5-lite").status()).isEqualTo(Status.OK);
        assertThat(MilvusCheck.version("2.4.0").status()).isEqualTo(Status.OK);
        CheckResult old = MilvusCheck.version("v2.2.16");
        assertThat(old.status()).isEqualTo(Status.FAIL);
        assertThat(old.fix()).contains("2.3");
    }
}
