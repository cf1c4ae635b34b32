package io.vectorsync.app.bench;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.config.AppConfigLoader;
import io.vectorsync.app.demo.ArticlesTable;
import io.vectorsync.app.demo.Databases;
import io.vectorsync.app.demo.DemoConfig;
import io.vectorsync.app.demo.DemoException;
import io.vectorsync.app.demo.DemoStore;
import io.vectorsync.app.demo.JdbcUrl;
import io.vectorsync.app.demo.PipelineReset;
import io.vectorsync.app.demo.SampleArticles.Article;
import io.vectorsync.app.demo.ServerCheck;
import io.vectorsync.app.demo.StepPrinter;
import io.vectorsync.app.demo.StoreWatch;
import io.vectorsync.app.http.HttpConfig;
import io.vectorsync.app.pipeline.Pipeline;
import io.vectorsync.app.pipeline.Role;
import io.vectorsync.connector.ConnectorConfig;
import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.config.ConfigException;
import io.vectorsync.core.config.EmbeddingConfig;
import io.vectorsync.core.config.KafkaConfig;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.store.pgvector.PgvectorReader;
import io.vectorsync.streams.StreamsWorker;
import io.vectorsync.streams.StreamsWorkerConfig;
import io.vectorsync.streams.embedding.MiniLmEmbeddingProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code vectorsync bench}: end-to-end rows per second (insert commit to pgvector) for N short texts, the embedding
 * model's own rate on the same texts measured in the same run, and their ratio. Every run uses its own table, slot,
 * publication, topics, consumer groups and state, and removes them when done.
 */
public final class BenchRunner {
    private static final Logger LOG = LoggerFactory.getLogger(BenchRunner.class);
    private static final int STEPS = 5;
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration SLOT_ACTIVE_TIMEOUT = Duration.ofSeconds(120);
    private static final String STATE_DIR = ".run/bench/streams";

    /**
     * @param config  a configuration file, or null for the built-in demo configuration
     * @param batch   embedding batch size, or null for {@code embedding.batch.size} of the configuration
     * @param timeout longest wait for each phase; null picks one from the row count
     */
    public record Options(Path config, Map<String, String> overrides, int rows, Integer batch, Duration timeout,
                          long seed) {
        public Options {
            overrides = Map.copyOf(overrides);
        }
    }

    private final Options options;
    private final PrintStream out;
    private final PrintStream err;
    private final StepPrinter print;

    public BenchRunner(Options options, PrintStream out, PrintStream err) {
        this.options = options;
        this.out = out;
        this.err = err;
        this.print = new StepPrinter(out, STEPS);
    }

    /** @return 0 when measured, 1 on a failure or timeout, 2 on bad options or configuration */
    public int run() throws InterruptedException {
        if (options.rows() < 1) {
            err.println("--rows must be at least 1, was " + options.rows());
            return 2;
        }
        String id = "bench_" + HexFormat.of().toHexDigits(new SecureRandom().nextInt());
        Map<String, String> raw;
        AppConfig config;
        try {
            raw = isolated(DemoConfig.raw(options.config(), Map.of()), id);
            config = AppConfigLoader.load(raw, false);
            // DEBUG, not INFO as `run` does: the configuration is built in, and the steps below say what it means.
            LOG.debug("effective configuration (secrets masked): {}", config.effective());
            Optional<String> down = ServerCheck.problem(config, "run `./vectorsync bench`, which starts servers of"
                    + " its own, or start them with `scripts/services.sh up`.");
            if (down.isPresent()) {
                err.println(down.get());
                return 1;
            }
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return 2;
        } catch (DemoException e) {
            err.println("bench failed: " + e.getMessage());
            return 1;
        }
        CollectionMapping mapping = config.mappings().collections().get(0);
        Duration timeout = options.timeout() != null ? options.timeout()
                : Duration.ofSeconds(60 + options.rows() / 20);
        ArticlesTable table = new ArticlesTable(config.source(), mapping.table());
        try {
            return measure(raw, config, mapping, table, timeout);
        } catch (DemoException e) {
            err.println("bench failed: " + e.getMessage());
            return 1;
        } finally {
            cleanUp(config, table);
        }
    }

    /**
     * The base configuration with its collections replaced by one bench collection, and every name that Kafka,
     * PostgreSQL or the state directory share across runs made unique to this run.
     */
    private Map<String, String> isolated(Map<String, String> base, String id) {
        Map<String, String> raw = new HashMap<>(base);
        raw.keySet().removeIf(k -> k.startsWith(MappingConfig.PREFIX + "."));
        raw.put(MappingConfig.TABLE.forName(id).name(), "public." + id);
        raw.put(MappingConfig.ID.forName(id).name(), "id");
        raw.put(MappingConfig.TEMPLATE.forName(id).name(), "{title}: {body}");
        raw.put(MappingConfig.METADATA.forName(id).name(), "author,category");
        raw.put(MappingConfig.SINKS.forName(id).name(), "pgvector");
        raw.put(KafkaConfig.PIPELINE.name(), id);
        raw.put(StreamsWorkerConfig.APPLICATION_ID.name(), "vectorsync-" + id);
        raw.put(StreamsWorkerConfig.STATE_DIR.name(), STATE_DIR);
        raw.put(ConnectorConfig.SLOT_NAME.name(), id);
        raw.put(ConnectorConfig.PUBLICATION_NAME.name(), id);
        raw.put(ConnectorConfig.OFFSETS_TOPIC.name(), id + ".offsets");
        // Any free port: a bench may run beside the demo, whose HTTP API has a fixed one.
        raw.put(HttpConfig.PORT.name(), "0");
        raw.put(ConnectorConfig.CONNECTOR_NAME.name(), id);
        raw.putAll(options.overrides());
        if (options.batch() != null) {
            raw.put(EmbeddingConfig.BATCH_SIZE.name(), options.batch().toString());
        }
        return raw;
    }

    private int measure(Map<String, String> raw, AppConfig config, CollectionMapping mapping, ArticlesTable table,
                        Duration timeout) throws InterruptedException {
        int rows = options.rows();
        int batchSize = config.embedding().batchSize();
        JdbcUrl sourceUrl = JdbcUrl.of(config.source().host(), config.source().port(), config.source().database());
        JdbcUrl sinkUrl = JdbcUrl.parse(DemoStore.pgvector(config).url());

        print.step("Preparing table " + mapping.table() + " in " + sourceUrl.server() + "/" + sourceUrl.database());
        Databases.ensure(sourceUrl, config.source().user(), config.source().password(), sourceUrl.database());
        Databases.ensure(sinkUrl, DemoStore.pgvector(config).user(), DemoStore.pgvector(config).password(), sinkUrl.database());
        table.recreate();
        try {
            AppConfigLoader.load(raw, true);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return 2;
        }
        List<Article> articles = articles(rows);
        List<String> texts = new ArrayList<>(rows);
        for (Article a : articles) {
            texts.add(mapping.template().render(Map.of("title", a.title(), "body", a.body())));
        }
        print.line(rows + " sentences generated (seed " + options.seed() + "), e.g. \"" + texts.get(0) + "\"");

        print.step("Starting the pipeline and waiting until streaming is live");
        long t = System.nanoTime();
        MeterRegistry registry = new SimpleMeterRegistry();
        Stages stages;
        try (Pipeline pipeline = Pipeline.start(config, EnumSet.allOf(Role.class), registry);
             PgvectorReader reader = new PgvectorReader(DemoStore.pgvector(config))) {
            StoreWatch watch = new StoreWatch(List.of(reader), mapping.name(), pipeline, POLL);
            awaitSlotActive(config.source(), watch);
            table.insert(List.of(new Article("Warm-up", "One row to see the whole path working before timing.",
                    "bench", "warm-up")));
            watch.await(1, r -> true, timeout, "the warm-up row", n -> { });
            print.line("warm-up row in pgvector " + StepPrinter.seconds(System.nanoTime() - t) + " after start");

            print.step("Inserting " + rows + " rows in one transaction and waiting for all of them in pgvector");
            stages = timeEndToEnd(table, articles, watch, pipeline, registry, timeout);
            print.line(String.format("all %d rows in pgvector %.2f s after the insert began", rows, stages.stored()));
            print.line("stopping the pipeline");
        }

        print.step("Measuring the model alone: " + MiniLmEmbeddingProvider.MODEL_ID + " on the same " + rows
                + " texts, batches of " + batchSize);
        ModelBenchmark.Result model;
        try (MiniLmEmbeddingProvider embedder = new MiniLmEmbeddingProvider()) {
            model = ModelBenchmark.measure(embedder, texts, batchSize);
        }
        print.line(String.format("%.0f texts/s", model.textsPerSecond()));

        new BenchReport(rows, batchSize, stages, model).print(out);
        return 0;
    }

    /** Seconds from the start of the timed insert until every row was inserted, captured, embedded, stored. */
    public record Stages(double inserted, double captured, double embedded, double stored) {
    }

    private Stages timeEndToEnd(ArticlesTable table, List<Article> articles, StoreWatch watch, Pipeline pipeline,
                                MeterRegistry registry, Duration timeout) throws InterruptedException {
        int rows = articles.size();
        StreamsWorker streams = pipeline.streams().orElseThrow();
        double capturedBase = captured(registry);
        double embeddedBase = streams.metrics().embeddedCount();
        long expected = rows + 1L;
        long capturedAt = -1;
        long embeddedAt = -1;
        long lastPrint = System.nanoTime();

        long t0 = System.nanoTime();
        table.insert(articles);
        long inserted = System.nanoTime();
        long deadline = inserted + timeout.toNanos();
        while (true) {
            long now = System.nanoTime();
            if (capturedAt < 0 && captured(registry) - capturedBase >= rows) {
                capturedAt = now;
            }
            if (embeddedAt < 0 && streams.metrics().embeddedCount() - embeddedBase >= rows) {
                embeddedAt = now;
            }
            Long n = watch.counts().get(SinkName.PGVECTOR);
            if (n != null && n >= expected) {
                long t1 = System.nanoTime();
                return new Stages(secondsSince(t0, inserted), secondsSince(t0, capturedAt < 0 ? t1 : capturedAt),
                        secondsSince(t0, embeddedAt < 0 ? t1 : embeddedAt), secondsSince(t0, t1));
            }
            watch.checkPipeline();
            if (now > deadline) {
                throw new DemoException("timed out after " + timeout.toSeconds() + " s: pgvector holds "
                        + (n == null ? "no" : Long.toString(n - 1)) + " of " + rows + " rows (raise --timeout)");
            }
            if (now - lastPrint > 2_000_000_000L) {
                lastPrint = now;
                print.line(String.format("%.0f s: captured %.0f, embedded %.0f, pgvector %d of %d rows",
                        (now - t0) / 1e9, captured(registry) - capturedBase,
                        streams.metrics().embeddedCount() - embeddedBase, (n == null ? 1L : n) - 1, rows));
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private static double secondsSince(long from, long to) {
        return (to - from) / 1e9;
    }

    private static double captured(MeterRegistry registry) {
        return registry.find("vectorsync.capture.records").counters().stream().mapToDouble(Counter::count).sum();
    }

    private List<Article> articles(int rows) {
        List<String> sentences = new SentenceGenerator(options.seed()).sentences(rows);
        List<Article> articles = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            articles.add(new Article("Note " + (i + 1), sentences.get(i), "bench", "group " + (i % 10)));
        }
        return articles;
    }

    /**
     * Waits until the connector's replication slot is in use: from then on it streams, so the timed insert is
     * captured from the WAL rather than by a snapshot still running.
     */
    private void awaitSlotActive(ConnectorConfig source, StoreWatch watch) throws InterruptedException {
        long deadline = System.nanoTime() + SLOT_ACTIVE_TIMEOUT.toNanos();
        try (Connection c = source.sourceDatabase().connect("vectorsync-bench", Duration.ofSeconds(5), Duration.ZERO);
             PreparedStatement ps = c.prepareStatement(
                     "SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, source.slotName());
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        return;
                    }
                }
                watch.checkPipeline();
                if (System.nanoTime() > deadline) {
                    throw new DemoException("replication slot '" + source.slotName() + "' was not in use "
                            + SLOT_ACTIVE_TIMEOUT.toSeconds() + " s after the connector started");
                }
                Thread.sleep(100);
            }
        } catch (SQLException e) {
            throw new DemoException("cannot read pg_replication_slots in " + source.address() + ": " + e.getMessage(),
                    e);
        }
    }

    private void cleanUp(AppConfig config, ArticlesTable table) {
        try {
            List<String> removed = new PipelineReset(config).run();
            table.drop();
            LOG.info("bench clean-up removed table {} and {}", table.table(), removed);
            out.println();
            out.println("cleaned up: table " + table.table() + ", " + String.join(", ", removed));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            err.println("bench clean-up incomplete: " + Objects.toString(e.getMessage(), e.toString()));
        }
    }
}
