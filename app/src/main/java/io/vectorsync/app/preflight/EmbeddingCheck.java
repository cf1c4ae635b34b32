package io.vectorsync.app.preflight;

import io.vectorsync.core.config.ConfigException;
import io.vectorsync.core.config.ConfigProblem;
import io.vectorsync.core.config.EmbeddingConfig;
import io.vectorsync.core.config.EmbeddingEndpoint;
import io.vectorsync.sink.preflight.CheckResult;
import io.vectorsync.sink.preflight.Failures;
import io.vectorsync.sink.preflight.PreflightCheck;
import io.vectorsync.sink.spi.StoreConfig;
import io.vectorsync.streams.embedding.EmbeddingProvider;
import io.vectorsync.streams.embedding.EmbeddingProviders;
import io.vectorsync.streams.embedding.EmbeddingRejectedException;
import io.vectorsync.streams.embedding.EmbeddingUnavailableException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The embedding model: it loads as the streams worker loads it (an HTTP provider: it is reachable and accepts the
 * key), embeds a probe text, produces the configured dimension, and that dimension fits every store the collections
 * write to.
 */
final class EmbeddingCheck implements PreflightCheck {
    private static final String PROBE = "vectorsync preflight: a short text to embed";
    private static final String DIMENSION = EmbeddingConfig.DIMENSION.name();
    /**
     * The model loads from the jar, no server involved: about a second alone, but ten seen on a busy 2-core
     * machine, so it gets a bound of its own rather than the servers' call timeout.
     */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final EmbeddingConfig config;
    private final List<StoreConfig> stores;

    EmbeddingCheck(EmbeddingConfig config, List<StoreConfig> stores) {
        this.config = config;
        this.stores = List.copyOf(stores);
    }

    @Override
    public String group() {
        return "embedding";
    }

    @Override
    public Duration timeout() {
        return TIMEOUT;
    }

    @Override
    public String target() {
        return "the embedding model of " + EmbeddingConfig.PROVIDER.name() + " " + config.provider().id();
    }

    @Override
    public List<CheckResult> run() {
        List<CheckResult> rows = new ArrayList<>(model());
        stores.stream().sorted(Comparator.comparing(StoreConfig::name))
                .forEach(store -> rows.add(store.dimensionLimit(config.dimension())));
        return rows;
    }

    private List<CheckResult> model() {
        String provider = EmbeddingConfig.PROVIDER.name() + " " + config.provider().id();
        long start = System.nanoTime();
        EmbeddingProvider model;
        try {
            // An HTTP provider is asked once: preflight reports what it finds, it does not wait for a recovery.
            model = EmbeddingProviders.create(config.withEndpoint(config.endpoint().withRetryMax(0)));
        } catch (ConfigException e) {
            return List.of(CheckResult.ok("embedding.model", "the model of " + provider + " loads; not probed, its"
                            + " dimension is wrong"),
                    CheckResult.fail("embedding.dimension", e.problems().stream().map(ConfigProblem::toString)
                                    .collect(Collectors.joining("; ")),
                            "set " + DIMENSION + " to the dimension the model produces"));
        } catch (RuntimeException | LinkageError e) {
            return List.of(CheckResult.fail("embedding.model", "the model of " + provider + " cannot be loaded: "
                            + Failures.describe(e),
                    "the model ships in vectorsync's jars (app/target/lib): rebuild if they are incomplete, and"
                            + " make ~/.djl.ai writable, where its tokenizer's native library is unpacked"));
        }
        try (EmbeddingProvider m = model) {
            List<float[]> vectors = m.embed(List.of(PROBE));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            int produced = vectors.size() == 1 ? vectors.get(0).length : m.dimension();
            return List.of(probe(m.modelId(), ms, vectors), dimension(m.modelId(), produced, config.dimension()));
        } catch (EmbeddingUnavailableException e) {
            return List.of(unavailable(config, e));
        } catch (EmbeddingRejectedException e) {
            return List.of(CheckResult.fail("embedding.model", "the provider refused the probe text: "
                    + e.getMessage(), "check " + EmbeddingEndpoint.MODEL.name() + " and the provider's logs"));
        }
    }

    /** Pure: an HTTP provider that did not answer the probe, with the fix its failure calls for. */
    static CheckResult unavailable(EmbeddingConfig config, EmbeddingUnavailableException e) {
        String url = EmbeddingEndpoint.URL.name();
        String fix = switch (e.kind()) {
            case AUTH -> "set " + EmbeddingEndpoint.API_KEY.name() + " to a key the provider accepts";
            case NOT_FOUND -> "check " + url + " (openai: the base URL ending in /v1) and "
                    + EmbeddingEndpoint.MODEL.name() + (config.endpoint().azure() ? " (the deployment name)" : "");
            case CONNECTION, TIMEOUT -> "check " + url + " and that the provider is running and reachable from"
                    + " here";
            case BAD_DIMENSION -> "set " + DIMENSION + " to the dimension the model produces, or "
                    + EmbeddingEndpoint.SEND_DIMENSIONS.name() + "=true if the model can shorten its vectors";
            case RATE_LIMITED -> "the provider is rate-limiting this key: try again, or raise its limits";
            default -> "check the provider at " + url + " and its logs";
        };
        String check = e.kind() == EmbeddingUnavailableException.Kind.BAD_DIMENSION ? "embedding.dimension"
                : "embedding.model";
        return CheckResult.fail(check, "the provider did not answer the probe (" + e.kind().tag() + "): "
                + e.getMessage(), fix);
    }

    /** Pure: the probe text must come back as one finite, non-zero vector of the model's own dimension. */
    static CheckResult probe(String modelId, long millis, List<float[]> vectors) {
        String check = "embedding.model";
        String fix = "the model is broken: rebuild vectorsync, or choose another " + EmbeddingConfig.PROVIDER.name();
        if (vectors.size() != 1) {
            return CheckResult.fail(check, modelId + " returned " + vectors.size() + " vectors for one text", fix);
        }
        float[] v = vectors.get(0);
        boolean finite = true;
        boolean zero = true;
        for (float x : v) {
            finite &= Float.isFinite(x);
            zero &= x == 0f;
        }
        if (!finite || zero) {
            return CheckResult.fail(check, modelId + " embedded the probe text into a " + (finite ? "zero" : "NaN or"
                    + " infinite") + " vector", fix);
        }
        return CheckResult.ok(check, modelId + " loaded and embedded a probe text in " + millis + " ms ("
                + v.length + " dimensions)");
    }

    /** Pure: the model's dimension must be the configured one, which every sink creates its stores with. */
    static CheckResult dimension(String modelId, int produced, int configured) {
        String check = "embedding.dimension";
        if (produced != configured) {
            return CheckResult.fail(check, modelId + " produces " + produced + "-dimensional vectors but "
                    + DIMENSION + " is " + configured, "set " + DIMENSION + "=" + produced);
        }
        return CheckResult.ok(check, modelId + " produces " + produced + " dimensions, as " + DIMENSION + " says");
    }
}
