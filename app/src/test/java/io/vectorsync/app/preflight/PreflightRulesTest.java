package io.vectorsync.app.preflight;

import io.vectorsync.core.config.KafkaClientSecurity;
import io.vectorsync.sink.preflight.CheckResult.Status;
import io.vectorsync.sink.preflight.CheckResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The pure verdicts of the Kafka and embedding checks. */
class PreflightRulesTest {

    @Test
    void theReplicationFactorMustFitTheBrokers() {
        assertThat(KafkaCheck.replication(1, 1).status()).isEqualTo(Status.OK);
        CheckResult r = KafkaCheck.replication(3, 1);
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.fix()).contains("kafka.topic.replication.factor to at most 1");
    }

    @Test
    void plainTextToABrokerElsewhereIsAWarningAndASecuredLoginNamesItsPrincipal() {
        KafkaClientSecurity scram = new KafkaClientSecurity(Map.of("security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"svc\" password=\"pw\";"));
        CheckResult secured = KafkaCheck.security(scram, "kafka-1.internal:9096");
        assertThat(secured.status()).isEqualTo(Status.OK);
        assertThat(secured.detail()).isEqualTo("SASL_SSL SCRAM-SHA-512 as User:svc").doesNotContain("pw");

        CheckResult plain = KafkaCheck.security(KafkaClientSecurity.NONE, "kafka-1.internal:9092");
        assertThat(plain.status()).isEqualTo(Status.WARN);
        assertThat(plain.detail()).contains("unencrypted and unauthenticated");
        assertThat(plain.fix()).contains("kafka.client.security.protocol=SASL_SSL");
        assertThat(KafkaCheck.security(KafkaClientSecurity.NONE, "127.0.0.1:9092").status()).isEqualTo(Status.OK);
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
