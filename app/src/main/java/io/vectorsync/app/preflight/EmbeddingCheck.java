package io.vectorsync.app.preflight;

import io.vectorsync.core.config.ConfigException;
import io.vectorsync.core.config.ConfigProblem;
import io.vectorsync.core.config.EmbeddingConfig;
import io.vectorsync.sink.preflight.CheckResult;
import io.vectorsync.sink.preflight.Failures;
import io.vectorsync.sink.preflight.PreflightCheck;
import io.vectorsync.sink.spi.StoreConfig;
import io.vectorsync.streams.embedding.EmbeddingProvider;
import io.vectorsync.streams.embedding.EmbeddingProviders;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The embedding model: it loads as the streams worker loads it, embeds a probe text, produces the configured
 * dimension, and that dimension fits every store the collections write to.
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
            model = EmbeddingProviders.create(config);
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
            return List.of(probe(m.modelId(), ms, vectors), dimension(m.modelId(), m.dimension(),
                    config.dimension()));
        }
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
