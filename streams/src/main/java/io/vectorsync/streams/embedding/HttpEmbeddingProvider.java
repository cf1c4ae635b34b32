package io.vectorsync.streams.embedding;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.vectorsync.core.config.EmbeddingEndpoint;
import io.vectorsync.core.config.SecretMask;
import io.vectorsync.core.embedding.TextBatches;
import io.vectorsync.core.json.Json;
import io.vectorsync.streams.embedding.EmbeddingUnavailableException.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model behind HTTP ({@code openai} or {@code ollama} wire format), called with {@code java.net.http}. One call of
 * {@link #embed} is split into requests of at most {@code embedding.batch.size} texts and
 * {@code embedding.batch.max.tokens} estimated tokens; at most {@code embedding.max.concurrency} requests are in
 * flight in the process (a fixed pool of that many threads sends them). Each request has its own timeout and is
 * retried with doubling backoff, or after the server's {@code Retry-After}. Every answer is checked: one vector per
 * text, each of the configured dimension. Thread-safe.
 *
 * <p>Failures: {@link EmbeddingUnavailableException} when the provider cannot answer now (the caller holds the
 * changes), {@link EmbeddingRejectedException} when it refuses the texts themselves.
 */
public final class HttpEmbeddingProvider implements EmbeddingProvider {
    private static final Logger LOG = LoggerFactory.getLogger(HttpEmbeddingProvider.class);

    /** Waits between retries; a test records the waits instead of waiting. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final WireFormat format;
    private final EmbeddingEndpoint endpoint;
    private final int dimension;
    private final int batchSize;
    private final HttpClient client;
    private final ExecutorService senders;
    private final RetryDelay delays;
    private final Sleeper sleeper;
    private final Clock clock;
    private final ProviderMetrics metrics;

    HttpEmbeddingProvider(WireFormat format, EmbeddingEndpoint endpoint, int dimension, int batchSize,
                          MeterRegistry registry, Sleeper sleeper, Clock clock) {
        this.format = format;
        this.endpoint = endpoint;
        this.dimension = dimension;
        this.batchSize = batchSize;
        this.sleeper = sleeper;
        this.clock = clock;
        this.delays = new RetryDelay(endpoint.retryBackoffMs(), endpoint.retryMaxBackoffMs());
        this.metrics = new ProviderMetrics(registry, format.name());
        AtomicInteger n = new AtomicInteger();
        this.senders = Executors.newFixedThreadPool(endpoint.maxConcurrency(), r -> {
            Thread t = new Thread(r, "vectorsync-embedding-" + format.name() + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(endpoint.timeoutMs()))
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    @Override
    public String modelId() {
        return format.name() + ":" + endpoint.model();
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        List<List<String>> requests = TextBatches.split(texts, batchSize, endpoint.batchMaxTokens());
        if (requests.size() == 1) {
            return send(requests.get(0));
        }
        List<Future<List<float[]>>> answers = new ArrayList<>(requests.size());
        for (List<String> request : requests) {
            answers.add(senders.submit(() -> sendWithRetries(request)));
        }
        List<float[]> vectors = new ArrayList<>(texts.size());
        try {
            for (Future<List<float[]>> answer : answers) {
                vectors.addAll(answer.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answers.forEach(a -> a.cancel(true));
            throw new EmbeddingUnavailableException(Kind.CONNECTION, "interrupted while waiting for the provider");
        } catch (ExecutionException e) {
            answers.forEach(a -> a.cancel(true));
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new EmbeddingUnavailableException(Kind.BAD_RESPONSE, String.valueOf(e.getCause()), e.getCause());
        }
        return vectors;
    }

    /** One request, sent from the pool as every request is, so that the concurrency limit holds. */
    private List<float[]> send(List<String> texts) {
        Future<List<float[]>> f = senders.submit(() -> sendWithRetries(texts));
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw new EmbeddingUnavailableException(Kind.CONNECTION, "interrupted while waiting for the provider");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new EmbeddingUnavailableException(Kind.BAD_RESPONSE, String.valueOf(e.getCause()), e.getCause());
        }
    }

    private List<float[]> sendWithRetries(List<String> texts) {
        for (int retry = 1; ; retry++) {
            Failure failure;
            try {
                return sendOnce(texts);
            } catch (Failure f) {
                failure = f;
            }
            metrics.error(failure.error.kind().tag());
            if (!failure.error.kind().retryable() || retry > endpoint.retryMax()) {
                throw failure.error;
            }
            Duration wait = delays.before(retry, failure.retryAfter);
            LOG.debug("{} request of {} texts failed ({}), retry {} of {} in {} ms", format.name(), texts.size(),
                    failure.error.getMessage(), retry, endpoint.retryMax(), wait.toMillis());
            metrics.retry();
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure.error;
            }
        }
    }

    /** A failed attempt: the error to throw if it is the last, and the server's Retry-After if it sent one. */
    private static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        final transient EmbeddingUnavailableException error;
        final transient Optional<Duration> retryAfter;

        Failure(EmbeddingUnavailableException error, Optional<Duration> retryAfter) {
            super(null, null, false, false);
            this.error = error;
            this.retryAfter = retryAfter;
        }
    }

    private List<float[]> sendOnce(List<String> texts) throws Failure {
        HttpRequest.Builder request = HttpRequest.newBuilder(format.uri())
                .timeout(Duration.ofMillis(endpoint.timeoutMs()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(format.body(texts)));
        format.headers().forEach(request::header);
        metrics.request();
        long start = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new Failure(new EmbeddingUnavailableException(Kind.TIMEOUT, format.name() + " at " + format.uri()
                    + " did not answer within " + endpoint.timeoutMs() + " ms", e), Optional.empty());
        } catch (ConnectException e) {
            throw new Failure(new EmbeddingUnavailableException(Kind.CONNECTION, format.name() + " at "
                    + format.uri() + " refused the connection", e), Optional.empty());
        } catch (IOException e) {
            throw new Failure(new EmbeddingUnavailableException(Kind.CONNECTION, format.name() + " at "
                    + format.uri() + ": connection failed: " + e, e), Optional.empty());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddingUnavailableException(Kind.CONNECTION, "interrupted while calling the provider", e);
        } finally {
            metrics.latency(Duration.ofNanos(System.nanoTime() - start));
        }
        int status = response.statusCode();
        if (status != 200) {
            failStatus(status, response);
        }
        WireFormat.Answer answer;
        try {
            JsonNode json = Json.mapper().readTree(response.body());
            answer = format.parse(json);
        } catch (EmbeddingUnavailableException e) {
            throw new Failure(e, Optional.empty());
        } catch (IOException | RuntimeException e) {
            throw new Failure(new EmbeddingUnavailableException(Kind.BAD_RESPONSE, format.name()
                    + " answered with unreadable JSON: " + e.getMessage(), e), Optional.empty());
        }
        check(answer.vectors(), texts.size());
        metrics.answered(texts.size(), answer.tokens(),
                texts.stream().mapToLong(TextBatches::estimateTokens).sum());
        return answer.vectors();
    }

    private void check(List<float[]> vectors, int texts) throws Failure {
        if (vectors.size() != texts) {
            throw new Failure(new EmbeddingUnavailableException(Kind.BAD_COUNT, format.name() + " returned "
                    + vectors.size() + " vectors for " + texts + " texts"), Optional.empty());
        }
        for (float[] v : vectors) {
            if (v.length != dimension) {
                throw new Failure(new EmbeddingUnavailableException(Kind.BAD_DIMENSION, format.name() + " model "
                        + endpoint.model() + " returned a " + v.length + "-dimensional vector but embedding.dimension"
                        + " is " + dimension), Optional.empty());
            }
        }
    }

    private void failStatus(int status, HttpResponse<String> response) throws Failure {
        String detail = format.name() + " at " + format.uri() + " answered HTTP " + status + ": "
                + masked(abbreviate(response.body()));
        Optional<Duration> retryAfter = RetryDelay.parseRetryAfter(response.headers().firstValue("Retry-After"),
                clock.instant());
        if (status == 400 || status == 413 || status == 422) {
            metrics.error("rejected");
            throw new EmbeddingRejectedException(detail);
        }
        Kind kind = status == 429 ? Kind.RATE_LIMITED
                : status == 401 || status == 403 ? Kind.AUTH
                : status == 404 ? Kind.NOT_FOUND
                : status == 408 ? Kind.TIMEOUT
                : Kind.SERVER_ERROR;
        throw new Failure(new EmbeddingUnavailableException(kind, detail), retryAfter);
    }

    /** A provider may echo the key it refused. */
    private String masked(String text) {
        return endpoint.apiKey().isEmpty() ? text : text.replace(endpoint.apiKey(), SecretMask.MASK);
    }

    private static String abbreviate(String body) {
        String b = body == null ? "" : body.replaceAll("\\s+", " ").trim();
        return b.length() > 200 ? b.substring(0, 200) + "…" : b;
    }

    @Override
    public void close() {
        senders.shutdownNow();
    }
}
