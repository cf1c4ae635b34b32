package io.vectorsync.app.demo;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.config.AppConfigLoader;
import io.vectorsync.app.demo.SampleArticles.Article;
import io.vectorsync.app.inspect.StoreInspection;
import io.vectorsync.app.pipeline.Pipeline;
import io.vectorsync.app.pipeline.Role;
import io.vectorsync.app.pipeline.Stores;
import io.vectorsync.core.Topics;
import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.config.ConfigException;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.SearchHit;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.sink.api.SinkUnavailableException;
import io.vectorsync.sink.api.StoredDocument;
import io.vectorsync.store.pgvector.PgvectorSearch;
import io.vectorsync.streams.StreamsWorker;
import io.vectorsync.streams.embedding.MiniLmEmbeddingProvider;
import io.vectorsync.streams.topology.EnrichmentMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code vectorsync demo}, step by step: databases, a table of sample articles, the whole pipeline, the snapshot
 * arriving in every store the collection names, live edits (text, metadata only, deletes) arriving too, semantic
 * search over pgvector, and then — unless told to exit — the pipeline left running for the user's own rows.
 */
public final class DemoRunner {
    private static final Logger LOG = LoggerFactory.getLogger(DemoRunner.class);
    private static final int STEPS = 7;
    private static final Duration POLL = Duration.ofMillis(200);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    // The scripted changes address articles by their position in articles.tsv.
    private static final int TEXT_EDIT_1 = 0;
    private static final int TEXT_EDIT_2 = 9;
    private static final int META_EDIT_1 = 10;
    private static final int META_EDIT_2 = 11;
    private static final int DELETE_1 = 12;
    private static final int DELETE_2 = 13;
    /** Fewest rows that still hold every article the scripted changes touch. */
    public static final int MIN_ROWS = DELETE_2 + 1;

    private static final String REUSE_SENTENCE = " Reusable first stages now fly back and land upright on a pad or a"
            + " ship, so the most expensive part of the rocket can fly again.";
    private static final String TOMATO_TITLE = "Growing tomatoes in pots";
    private static final String TOMATO_BODY = "Tomatoes grow well in pots of at least twenty litres filled with rich"
            + " compost, on the sunniest wall you have. Water every day in hot weather, because a pot dries out fast,"
            + " and once the first fruits set feed every week with a high-potash fertiliser.";
    private static final String NEW_CATEGORY = "wellbeing";
    private static final String NEW_AUTHOR = "Priya Nair";

    static final List<String> QUESTIONS = List.of(
            "How do rockets reach orbit?",
            "Which plants grow well under trees?",
            "How does a database avoid losing data in a crash?");

    /**
     * @param config         a configuration file, or null for the built-in demo configuration
     * @param rows           sample articles to insert, {@link #MIN_ROWS} to all of them
     * @param exitAfterSteps stop after the scripted steps instead of running until Ctrl-C
     * @param timeout        longest wait for every store to show a step's result
     */
    public record Options(Path config, Map<String, String> overrides, int rows, boolean exitAfterSteps,
                          Duration timeout) {
        public Options {
            overrides = Map.copyOf(overrides);
            Objects.requireNonNull(timeout, "timeout");
        }
    }

    private final Options options;
    private final PrintStream out;
    private final PrintStream err;
    private final StepPrinter print;

    public DemoRunner(Options options, PrintStream out, PrintStream err) {
        this.options = options;
        this.out = out;
        this.err = err;
        this.print = new StepPrinter(out, STEPS);
    }

    /** @return the exit code: 0 done, 1 a server or step failed, 2 bad configuration or options */
    public int run() throws InterruptedException {
        List<Article> samples = SampleArticles.load();
        if (options.rows() < MIN_ROWS || options.rows() > samples.size()) {
            err.println("--rows must be between " + MIN_ROWS + " and " + samples.size() + ", was " + options.rows());
            return 2;
        }
        try {
            Map<String, String> raw = DemoConfig.raw(options.config(), options.overrides());
            AppConfig config = AppConfigLoader.load(raw, false);
            // DEBUG, not INFO as `run` does: the configuration is built in, and the steps below say what it means.
            LOG.debug("effective configuration (secrets masked): {}", config.effective());
            Optional<CollectionMapping> mapping = pgvectorCollection(config);
            if (mapping.isEmpty()) {
                err.println("the demo needs a collection written to pgvector; the configuration has none");
                return 2;
            }
            Optional<String> down = ServerCheck.problem(config, "start them with `scripts/services.sh up`"
                    + " (or just run `./vectorsync demo`, which does it).");
            if (down.isPresent()) {
                err.println(down.get());
                return 1;
            }
            return steps(raw, config, mapping.get(), samples.subList(0, options.rows()), System.nanoTime());
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return 2;
        } catch (DemoException e) {
            err.println("demo failed: " + e.getMessage());
            return 1;
        }
    }

    private int steps(Map<String, String> raw, AppConfig config, CollectionMapping mapping, List<Article> articles,
                      long start) throws InterruptedException {
        String collection = mapping.name();
        JdbcUrl sourceUrl = JdbcUrl.of(config.source().host(), config.source().port(), config.source().database());
        JdbcUrl sinkUrl = JdbcUrl.parse(DemoStore.pgvector(config).url());

        print.step("Preparing PostgreSQL at " + sourceUrl.server());
        databaseLine(Databases.ensure(sourceUrl, config.source().user(), config.source().password(),
                sourceUrl.database()), sourceUrl.database(), "source");
        databaseLine(Databases.ensure(sinkUrl, DemoStore.pgvector(config).user(), DemoStore.pgvector(config).password(),
                sinkUrl.database()), sinkUrl.database(), "pgvector sink");
        List<String> removed = new PipelineReset(config).run();
        if (!removed.isEmpty()) {
            print.line("removed what an earlier run left: " + summary(removed));
        }

        print.step("Creating table " + mapping.table() + " with " + articles.size() + " sample articles");
        ArticlesTable table = new ArticlesTable(config.source(), mapping.table());
        table.recreate();
        List<Integer> ids = table.insert(articles);
        Map<String, String> titles = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            titles.put(ids.get(i).toString(), articles.get(i).title());
        }
        print.line("inserted " + ids.size() + " rows into " + sourceUrl.database() + "." + mapping.table()
                + " (" + categories(articles) + ")");
        // Now that the table exists: the same check `vectorsync config check` runs (wal_level, columns, key).
        AppConfigLoader.load(raw, true);

        List<SinkName> stores = StoreInspection.stores(mapping);
        print.step("Starting the pipeline: Debezium -> Kafka -> Kafka Streams + " + MiniLmEmbeddingProvider.MODEL_ID
                + " -> " + stores.stream().map(SinkName::id).collect(Collectors.joining(", ")));
        long t = System.nanoTime();
        Pipeline pipeline = Pipeline.start(config, EnumSet.allOf(Role.class),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        boolean keepRunning = false;
        List<SinkReader> readers = new ArrayList<>();
        try {
            stores.forEach(store -> readers.add(Stores.reader(config, store)));
            print.line("capture: slot " + config.source().slotName() + " on " + sourceUrl.database() + ", topic "
                    + Topics.cdc(mapping.table()));
            print.line("embed:   Kafka Streams application " + config.streams().applicationId() + ", batches of up to "
                    + config.embedding().batchSize());
            for (SinkName store : stores) {
                print.line("write:   " + where(config, store, collection));
            }
            print.line("started in " + StepPrinter.seconds(System.nanoTime() - t));

            StoreWatch watch = new StoreWatch(readers, collection, pipeline, POLL);
            print.step("Waiting for the snapshot of the " + articles.size() + " rows to reach every store");
            t = System.nanoTime();
            watch.await(articles.size(), r -> true, options.timeout(), "the snapshot of " + articles.size() + " rows",
                    n -> print.line(StoreWatch.format(n) + " of " + articles.size() + " documents"));
            print.line("all " + articles.size() + " rows embedded once and stored in " + stores.size() + " stores in "
                    + StepPrinter.seconds(System.nanoTime() - t));

            print.step("Changing the source: 2 text edits, 2 metadata-only edits, 2 deletes");
            t = System.nanoTime();
            int expected = changeArticles(table, ids, articles, titles);
            watch.await(expected, r -> editsVisible(r, collection, ids), options.timeout(),
                    "the 6 changes", n -> print.line(StoreWatch.format(n) + " documents"));
            print.line("every store shows all 6 changes after " + StepPrinter.seconds(System.nanoTime() - t)
                    + ": " + expected + " documents, edited text re-embedded, metadata updated, deleted ones gone");
            pipeline.streams().map(StreamsWorker::metrics).ifPresent(this::modelCounters);

            print.step("Semantic search: each question embedded in-process, top 3 by cosine similarity");
            search(config, collection, titles);

            if (options.exitAfterSteps()) {
                print.step("Done in " + StepPrinter.seconds(System.nanoTime() - start) + " (--exit: stopping the"
                        + " pipeline; the servers keep running, `scripts/services.sh down --profile demo` stops them)");
                return 0;
            }
            keepRunning = true;
            return live(config, mapping, pipeline, watch, sinkUrl, readers);
        } finally {
            if (!keepRunning) {
                pipeline.close();
                readers.forEach(SinkReader::close);
            }
        }
    }

    private void databaseLine(boolean created, String database, String role) {
        print.line("database " + database + " (" + role + "): " + (created ? "created" : "already there"));
    }

    private int changeArticles(ArticlesTable table, List<Integer> ids, List<Article> articles,
                               Map<String, String> titles) {
        Article rocket = articles.get(TEXT_EDIT_1);
        table.updateText(ids.get(TEXT_EDIT_1), rocket.title(), rocket.body() + REUSE_SENTENCE);
        print.line("text:     #" + ids.get(TEXT_EDIT_1) + " \"" + rocket.title()
                + "\" gains a sentence on reusable boosters");
        table.updateText(ids.get(TEXT_EDIT_2), TOMATO_TITLE, TOMATO_BODY);
        print.line("text:     #" + ids.get(TEXT_EDIT_2) + " \"" + articles.get(TEXT_EDIT_2).title()
                + "\" rewritten as \"" + TOMATO_TITLE + "\"");
        titles.put(ids.get(TEXT_EDIT_2).toString(), TOMATO_TITLE);

        Article sleep = articles.get(META_EDIT_1);
        table.updateMetadata(ids.get(META_EDIT_1), sleep.author(), NEW_CATEGORY);
        print.line("metadata: #" + ids.get(META_EDIT_1) + " \"" + sleep.title() + "\" category " + sleep.category()
                + " -> " + NEW_CATEGORY);
        Article code = articles.get(META_EDIT_2);
        table.updateMetadata(ids.get(META_EDIT_2), NEW_AUTHOR, code.category());
        print.line("metadata: #" + ids.get(META_EDIT_2) + " \"" + code.title() + "\" author " + code.author()
                + " -> " + NEW_AUTHOR);

        for (int i : new int[] {DELETE_1, DELETE_2}) {
            table.delete(ids.get(i));
            print.line("delete:   #" + ids.get(i) + " \"" + articles.get(i).title() + "\"");
            titles.remove(ids.get(i).toString());
        }
        return articles.size() - 2;
    }

    private static boolean editsVisible(SinkReader r, String collection, List<Integer> ids)
            throws SinkUnavailableException {
        Optional<StoredDocument> rocket = r.find(collection, ids.get(TEXT_EDIT_1).toString());
        Optional<StoredDocument> tomato = r.find(collection, ids.get(TEXT_EDIT_2).toString());
        Optional<StoredDocument> sleep = r.find(collection, ids.get(META_EDIT_1).toString());
        Optional<StoredDocument> code = r.find(collection, ids.get(META_EDIT_2).toString());
        return rocket.map(d -> d.content().endsWith(REUSE_SENTENCE.trim())).orElse(false)
                && tomato.map(d -> d.content().startsWith(TOMATO_TITLE)).orElse(false)
                && sleep.map(d -> NEW_CATEGORY.equals(d.metadata().get("category"))).orElse(false)
                && code.map(d -> NEW_AUTHOR.equals(d.metadata().get("author"))).orElse(false)
                && r.find(collection, ids.get(DELETE_1).toString()).isEmpty()
                && r.find(collection, ids.get(DELETE_2).toString()).isEmpty();
    }

    private void modelCounters(EnrichmentMetrics m) {
        print.line(String.format("model counters: %.0f texts embedded; %.0f changes kept their stored vector"
                + " because only metadata changed", m.embeddedCount(), m.skippedCount()));
    }

    private void search(AppConfig config, String collection, Map<String, String> titles) {
        long t = System.nanoTime();
        try (MiniLmEmbeddingProvider embedder = new MiniLmEmbeddingProvider();
             PgvectorSearch search = new PgvectorSearch(DemoStore.pgvector(config))) {
            List<float[]> queries = embedder.embed(QUESTIONS);
            for (int q = 0; q < QUESTIONS.size(); q++) {
                print.line("\"" + QUESTIONS.get(q) + "\"");
                for (SearchHit hit : search.search(collection, queries.get(q), 3)) {
                    print.line(String.format("    #%-3s %.3f  %s", hit.id(), hit.score(), title(hit, titles)));
                }
            }
        }
        print.line("(" + QUESTIONS.size() + " questions embedded and searched in "
                + (System.nanoTime() - t) / 1_000_000 + " ms)");
    }

    private static String title(SearchHit hit, Map<String, String> titles) {
        String known = titles.get(hit.id());
        if (known != null) {
            return known;
        }
        // A row the user added: its text starts with the title under the demo's template.
        String content = hit.content() == null ? "" : hit.content();
        int colon = content.indexOf(": ");
        return colon > 0 ? content.substring(0, colon) : content.substring(0, Math.min(60, content.length()));
    }

    private int live(AppConfig config, CollectionMapping mapping, Pipeline pipeline, StoreWatch watch,
                     JdbcUrl sinkUrl, List<SinkReader> readers) throws InterruptedException {
        String psql = "psql -h " + config.source().host() + " -p " + config.source().port() + " -U "
                + config.source().user();
        String sinkPsql = "psql -h " + sinkUrl.host() + " -p " + sinkUrl.port() + " -U " + DemoStore.pgvector(config).user();
        print.step("The pipeline keeps running: change the table and watch every store follow (Ctrl-C stops)");
        print.line("add a row:");
        print.plain("  " + psql + " -d " + config.source().database() + " -c \"INSERT INTO " + mapping.table()
                + " (title, body, author, category) VALUES ('Green tea', 'Green tea leaves are heated soon after"
                + " picking, which stops them from oxidising and keeps them green.', 'you', 'cooking')\"");
        pipeline.httpPort().ifPresent(port -> {
            print.line("watch lag, throughput, modes and the DLQ on the dashboard (Prometheus metrics at /metrics):");
            print.plain("  http://" + config.http().host() + ":" + port + "/");
        });
        print.line("look at one document in every store side by side (ids as printed above):");
        print.plain("  ./vectorsync inspect 1 2 3");
        if (mapping.sinks().contains(SinkName.PGVECTOR)) {
            print.line("or query pgvector directly:");
            print.plain("  " + sinkPsql + " -d " + sinkUrl.database() + " -c \"SELECT id, left(content, 50) AS"
                    + " content, metadata, vector_dims(embedding) AS dims FROM " + DemoStore.pgvector(config).schema() + "."
                    + mapping.name() + " ORDER BY updated_at DESC LIMIT 5\"");
        }

        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            print.plain("");
            print.line("stopping the pipeline ...");
            pipeline.close();
            readers.forEach(SinkReader::close);
            print.line("stopped. The servers keep running; `scripts/services.sh down --profile demo` stops them.");
        }, "vectorsync-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Map<SinkName, Long> last = watch.counts();
        print.line(StoreWatch.format(last) + " documents");
        while (!stop.await(1, TimeUnit.SECONDS)) {
            try {
                watch.checkPipeline();
            } catch (DemoException e) {
                Runtime.getRuntime().removeShutdownHook(hook);
                pipeline.close();
                readers.forEach(SinkReader::close);
                throw e;
            }
            Map<SinkName, Long> counts = watch.counts();
            if (!counts.equals(last)) {
                print.line(LocalTime.now().format(CLOCK) + " " + StoreWatch.format(counts) + " documents");
                last = counts;
            }
        }
        return 0;
    }

    /** Where a store keeps the collection, in words a user can go and look at. */
    private static String where(AppConfig config, SinkName store, String collection) {
        return config.store(store).where(collection);
    }

    /** "topic a", "topic b", "slot c" → "2 topics, slot c". */
    static String summary(List<String> removed) {
        Map<String, List<String>> byKind = new LinkedHashMap<>();
        for (String r : removed) {
            int space = r.lastIndexOf(' ');
            byKind.computeIfAbsent(space < 0 ? r : r.substring(0, space), k -> new ArrayList<>())
                    .add(space < 0 ? "" : r.substring(space + 1));
        }
        List<String> parts = new ArrayList<>();
        byKind.forEach((kind, names) -> parts.add(names.size() == 1 ? (kind + " " + names.get(0)).trim()
                : names.size() + " " + kind + "s"));
        return String.join(", ", parts);
    }

    private static String categories(List<Article> articles) {
        return String.join(", ", articles.stream().map(Article::category).distinct().toList());
    }

    private static Optional<CollectionMapping> pgvectorCollection(AppConfig config) {
        return config.mappings().collections().stream().filter(c -> c.sinks().contains(SinkName.PGVECTOR))
                .findFirst();
    }
}
