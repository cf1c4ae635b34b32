package io.vectorsync.app.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterMetersTest {

    @Test
    void theGaugeIsTheRecordCountOnTheTopicAndNaNWhenKafkaCannotTell() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AtomicReference<DeadLetters> count = new AtomicReference<>(DeadLetters.counted(7));
        new DeadLetterMeters(count::get).bindTo(registry);
        assertThat(registry.get("vectorsync.dlq.topic.records").gauge().value()).isEqualTo(7);
        assertThat(registry.scrape()).contains("vectorsync_dlq_topic_records 7.0");

        count.set(DeadLetters.unknown("Kafka did not answer within 5000 ms"));
        assertThat(registry.get("vectorsync.dlq.topic.records").gauge().value()).isNaN();
    }
}
