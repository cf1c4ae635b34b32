package io.vectorsync.app.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.config.MappingConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CaptureCollectionTagTest {

    @Test
    void captureRecordsCarryTheCollectionBesideTheTable() {
        MappingConfig mappings = MappingConfig.from(new ConfigReader(Map.of(
                "collections.articles.table", "public.articles",
                "collections.articles.id", "id",
                "collections.articles.template", "{title}",
                "collections.titles.table", "public.articles",
                "collections.titles.id", "id",
                "collections.titles.template", "{title}",
                "collections.notes.table", "docs.notes",
                "collections.notes.id", "id",
                "collections.notes.template", "{body}")));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new CaptureCollectionTag(mappings));

        Counter.builder("vectorsync.capture.records").tag("table", "docs.notes").register(registry).increment();
        Counter.builder("vectorsync.capture.records").tag("table", "public.articles").register(registry).increment(2);
        Counter.builder("vectorsync.capture.records").tag("table", "public.other").register(registry).increment();
        Counter.builder("vectorsync.sink.written").tag("sink", "pgvector").register(registry);

        assertThat(registry.get("vectorsync.capture.records").tag("collection", "notes").tag("table", "docs.notes")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get("vectorsync.capture.records").tag("collection", "articles,titles").counter().count())
                .isEqualTo(2);
        assertThat(registry.get("vectorsync.capture.records").tag("table", "public.other").counter().getId()
                .getTag("collection")).isEqualTo("none");
        assertThat(registry.get("vectorsync.sink.written").counter().getId().getTag("collection")).isNull();
    }
}
