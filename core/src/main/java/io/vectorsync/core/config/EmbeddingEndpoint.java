package io.vectorsync.core.config;

import java.net.URI;
import java.util.List;

/**
 * Where an HTTP embedding provider ({@code embedding.provider} {@code openai} or {@code ollama}) is reached and how it
 * is called: the model, the API key, request limits, timeouts and retries. Unused by the in-process models.
 *
 * @param url                base URL: for {@code openai} the one that ends before {@code /embeddings}
 *                           (e.g. {@code https://api.openai.com/v1}); for Azure OpenAI the resource's
 *                           ({@code https://NAME.openai.azure.com}); for {@code ollama} the server's
 * @param azureApiVersion    non-blank: Azure OpenAI's URL shape and {@code api-key} header
 * @param sendDimensions     send {@code dimensions} = {@code embedding.dimension} (models that can shorten vectors)
 * @param retryMax           retries of one request after its first attempt
 */
public record EmbeddingEndpoint(String url, String model, String apiKey, String azureApiVersion,
                                boolean sendDimensions, int batchMaxTokens, int maxConcurrency, long timeoutMs,
                                int retryMax, long retryBackoffMs, long retryMaxBackoffMs) {

    public static final ConfigKey<String> URL = ConfigKey.optionalString("embedding.url",
            "Base URL of an HTTP provider: openai: up to /embeddings (https://api.openai.com/v1); Azure OpenAI: the"
                    + " resource (https://NAME.openai.azure.com); ollama: the server (http://localhost:11434).");
    public static final ConfigKey<String> MODEL = ConfigKey.optionalString("embedding.model",
            "Model name an HTTP provider is asked for (Azure OpenAI: the deployment name).");
    public static final ConfigKey<String> API_KEY = ConfigKey.secret("embedding.api.key",
            "API key of an HTTP provider: sent as 'Authorization: Bearer', or as 'api-key' for Azure OpenAI.");
    public static final ConfigKey<String> AZURE_API_VERSION = ConfigKey.optionalString("embedding.azure.api.version",
            "Set for Azure OpenAI (e.g. 2024-10-21): URL /openai/deployments/<model>/embeddings?api-version=…, header"
                    + " api-key.");
    public static final ConfigKey<Boolean> SEND_DIMENSIONS = ConfigKey.bool("embedding.send.dimensions", false,
            "Ask an HTTP provider for embedding.dimension dimensions ('dimensions' in the request), for models"
                    + " that can shorten their vectors (text-embedding-3-*).");
    public static final ConfigKey<Integer> BATCH_MAX_TOKENS = ConfigKey.positiveInt("embedding.batch.max.tokens",
            100_000, "Estimated tokens in one request to an HTTP provider, at most (a longer text goes alone).");
    public static final ConfigKey<Integer> MAX_CONCURRENCY = ConfigKey.intInRange("embedding.max.concurrency", 2,
            1, 64, "Requests in flight to an HTTP provider at once, from the streams worker (all its threads"
                    + " together); search and the validator each have a limit of their own.");
    public static final ConfigKey<Long> TIMEOUT_MS = ConfigKey.positiveLong("embedding.timeout.ms", 30_000,
            "Longest wait for an HTTP provider's answer to one request.");
    public static final ConfigKey<Integer> RETRY_MAX = ConfigKey.intInRange("embedding.retry.max", 4, 0, 20,
            "Retries of a failed request to an HTTP provider before the changes are held.");
    public static final ConfigKey<Long> RETRY_BACKOFF_MS = ConfigKey.positiveLong("embedding.retry.backoff.ms", 500,
            "First wait before a retry; doubled each time. A 429/503 Retry-After replaces it.");
    public static final ConfigKey<Long> RETRY_MAX_BACKOFF_MS = ConfigKey.positiveLong(
            "embedding.retry.max.backoff.ms", 30_000,
            "Longest wait before one retry (Retry-After included), and between tries while changes are held.");
    public static final List<ConfigKey<?>> KEYS = List.of(URL, MODEL, API_KEY, AZURE_API_VERSION, SEND_DIMENSIONS,
            BATCH_MAX_TOKENS, MAX_CONCURRENCY, TIMEOUT_MS, RETRY_MAX, RETRY_BACKOFF_MS, RETRY_MAX_BACKOFF_MS);

    /** This endpoint retried {@code retries} times instead (preflight's probe asks once). */
    public EmbeddingEndpoint withRetryMax(int retries) {
        return new EmbeddingEndpoint(url, model, apiKey, azureApiVersion, sendDimensions, batchMaxTokens,
                maxConcurrency, timeoutMs, retries, retryBackoffMs, retryMaxBackoffMs);
    }

    /** Kafka's default, which the streams worker keeps: a stream thread silent longer is thrown out of its group. */
    static final long MAX_POLL_INTERVAL_MS = 300_000;

    /** How long one request that fails every attempt holds its caller, at worst. */
    public long worstCaseMs() {
        return (retryMax + 1L) * timeoutMs + retryMax * retryMaxBackoffMs;
    }

    /** Azure OpenAI's URL shape and header. */
    public boolean azure() {
        return !azureApiVersion.isBlank();
    }

    /** Reads the keys; an HTTP provider ({@code http}) needs an absolute http(s) URL and a model. */
    static EmbeddingEndpoint from(ConfigReader reader, boolean http, String provider) {
        EmbeddingEndpoint e = new EmbeddingEndpoint(reader.get(URL), reader.get(MODEL), reader.get(API_KEY),
                reader.get(AZURE_API_VERSION), reader.get(SEND_DIMENSIONS), reader.get(BATCH_MAX_TOKENS),
                reader.get(MAX_CONCURRENCY), reader.get(TIMEOUT_MS), reader.get(RETRY_MAX),
                reader.get(RETRY_BACKOFF_MS), reader.get(RETRY_MAX_BACKOFF_MS));
        if (http) {
            if (e.url.isBlank()) {
                reader.problem(URL.name(), null, "is required when " + EmbeddingConfig.PROVIDER.name() + " is "
                        + provider);
            } else if (!httpUrl(e.url)) {
                reader.problem(URL.name(), CredentialMask.mask(e.url), "it must be an absolute http:// or https://"
                        + " URL");
            }
            long worst = e.worstCaseMs();
            if (!reader.hasProblem(RETRY_MAX) && !reader.hasProblem(TIMEOUT_MS)
                    && !reader.hasProblem(RETRY_MAX_BACKOFF_MS) && worst >= MAX_POLL_INTERVAL_MS) {
                reader.problem(RETRY_MAX.name(), Integer.toString(e.retryMax), "a request failing every retry would"
                        + " hold the stream thread " + worst + " ms ((retry.max + 1) x timeout.ms + retry.max x"
                        + " retry.max.backoff.ms), not under Kafka's max.poll.interval.ms (" + MAX_POLL_INTERVAL_MS
                        + "): lower embedding.retry.max, embedding.timeout.ms or embedding.retry.max.backoff.ms");
            }
            if (e.model.isBlank()) {
                reader.problem(MODEL.name(), null, "is required when " + EmbeddingConfig.PROVIDER.name() + " is "
                        + provider);
            }
        }
        return e;
    }

    private static boolean httpUrl(String url) {
        try {
            URI uri = new URI(url.trim());
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "EmbeddingEndpoint[url=" + CredentialMask.mask(url) + ", model=" + model + ", apiKey="
                + (apiKey.isEmpty() ? "" : SecretMask.MASK) + ", azureApiVersion=" + azureApiVersion + "]";
    }
}
