package io.vectorsync.app.validation;

import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.pipeline.Stores;
import io.vectorsync.connector.CdcPublisher;
import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.streams.embedding.EmbeddingProvider;
import io.vectorsync.streams.embedding.EmbeddingProviders;
import io.vectorsync.validation.BatchingEmbedder;
import io.vectorsync.validation.CheckpointStore;
import io.vectorsync.validation.KafkaResultPublisher;
import io.vectorsync.validation.ProgressBar;
import io.vectorsync.validation.Redrive;
import io.vectorsync.validation.Repairer;
import io.vectorsync.validation.Selection;
import io.vectorsync.validation.SourceScanner;
import io.vectorsync.validation.SourceTable;
import io.vectorsync.validation.ValidationContext.PageHook;
import io.vectorsync.validation.ValidationContext.Sleeper;
import io.vectorsync.validation.ValidationContext;
import io.vectorsync.validation.Validator;

import java.io.PrintStream;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The validator's parts built from the configuration: the source scanner, one reader per store, the pipeline's
 * embedding model, the checkpoint directory, the results publisher and, for a repair, the re-drive. Wiring only.
 */
public final class ValidationSetup implements AutoCloseable {
    /** How often a repair looks whether the re-driven documents arrived. */
    private static final Duration REPAIR_POLL = Duration.ofSeconds(1);

    private final AppConfig config;
    private final EmbeddingProvider model;
    private final Map<SinkName, SinkReader> readers = new EnumMap<>(SinkName.class);
    private final ValidationContext context;

    private ValidationSetup(AppConfig config, List<Selection.Target> targets, PageHook hook, PrintStream notices,
                            ProgressBar progress) {
        this.config = config;
        this.model = EmbeddingProviders.create(config.embedding());
        try {
            targets.forEach(t -> t.stores().forEach(s -> readers.computeIfAbsent(s, n -> Stores.reader(config, n))));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        this.context = new ValidationContext(config.validation(),
                new BatchingEmbedder(model::embed, config.embedding().batchSize()),
                new CheckpointStore(config.validation().checkpointDir(config.streams().stateDir())), progress, notices,
                Sleeper.real(), hook, System::currentTimeMillis);
    }

    /**
     * @param notices  where notices and progress go (stderr in the CLI)
     * @param terminal whether {@code notices} is a terminal, for the progress bar
     */
    public static ValidationSetup open(AppConfig config, List<Selection.Target> targets, PageHook hook,
                                       PrintStream notices, boolean terminal) {
        return new ValidationSetup(config, targets, hook, notices, new ProgressBar(notices, terminal,
                System::nanoTime));
    }

    public Validator validator() {
        return new Validator(context, this::source, readers, new KafkaResultPublisher(
                CdcPublisher.producerProperties(config.kafka(), "vectorsync-validate"),
                config.kafka().topics().validation()));
    }

    public Repairer repairer(Redrive redrive) {
        return new Repairer(context, redrive, REPAIR_POLL);
    }

    public SourceTable source(CollectionMapping mapping) {
        return new SourceScanner(config.source().sourceDatabase(), mapping);
    }

    /** The readers of a target's stores, in its order. */
    public Map<SinkName, SinkReader> readers(Selection.Target target) {
        Map<SinkName, SinkReader> out = new LinkedHashMap<>();
        target.stores().forEach(s -> out.put(s, readers.get(s)));
        return out;
    }

    @Override
    public void close() {
        readers.values().forEach(SinkReader::close);
        model.close();
    }
}
