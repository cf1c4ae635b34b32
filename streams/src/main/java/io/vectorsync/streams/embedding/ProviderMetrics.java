package io.vectorsync.streams.embedding;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/** Meters of one HTTP provider, tagged {@code provider}: requests, texts, tokens, latency, errors by kind. */
final class ProviderMetrics {
    private final MeterRegistry registry;
    private final String provider;
    private final Counter requests;
    private final Counter texts;
    private final Counter tokensReported;
    private final Counter tokensEstimated;
    private final Counter retries;
    private final Timer latency;

    ProviderMetrics(MeterRegistry registry, String provider) {
        this.registry = registry;
        this.provider = provider;
        requests = Counter.builder("vectorsync.embedding.provider.requests").tag("provider", provider)
                .description("Requests sent to the embedding provider, retries included").register(registry);
        texts = Counter.builder("vectorsync.embedding.provider.texts").tag("provider", provider)
                .description("Texts embedded by the provider (answered requests only)").register(registry);
        tokensReported = Counter.builder("vectorsync.embedding.provider.tokens").tag("provider", provider)
                .tag("source", "reported").description("Tokens of answered requests").register(registry);
        tokensEstimated = Counter.builder("vectorsync.embedding.provider.tokens").tag("provider", provider)
                .tag("source", "estimated").description("Tokens of answered requests").register(registry);
        retries = Counter.builder("vectorsync.embedding.provider.retries").tag("provider", provider)
                .description("Requests retried after a failure").register(registry);
        latency = Timer.builder("vectorsync.embedding.provider.latency").tag("provider", provider)
                .description("Time from sending a request to its answer, failures included").register(registry);
    }

    void request() {
        requests.increment();
    }

    void retry() {
        retries.increment();
    }

    void latency(Duration d) {
        latency.record(d);
    }

    /** @param tokens reported by the provider, or -1 to count {@code estimated} instead */
    void answered(int textCount, long tokens, long estimated) {
        texts.increment(textCount);
        if (tokens >= 0) {
            tokensReported.increment(tokens);
        } else {
            tokensEstimated.increment(estimated);
        }
    }

    void error(String kind) {
        Counter.builder("vectorsync.embedding.provider.errors").tag("provider", provider).tag("kind", kind)
                .description("Failed requests to the embedding provider, by kind").register(registry).increment();
    }
}
