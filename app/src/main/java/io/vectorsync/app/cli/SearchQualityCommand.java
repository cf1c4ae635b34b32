package io.vectorsync.app.cli;

import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.config.AppConfigLoader;
import io.vectorsync.app.demo.DemoConfig;
import io.vectorsync.app.quality.LabelledSet;
import io.vectorsync.app.quality.SearchQualityRun;
import io.vectorsync.app.quality.SearchQualityRun.Result;
import io.vectorsync.app.quality.SearchQualityRun.Row;
import io.vectorsync.core.config.ConfigException;
import io.vectorsync.core.model.Identifiers;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.SinkUnavailableException;
import io.vectorsync.sink.search.Fusion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vectorsync search-quality}: recall@k and MRR of vector, keyword and hybrid search on each store. */
@Command(name = "search-quality", mixinStandardHelpOptions = true,
        description = {"Measure search quality on the labelled set vectorsync ships (40 short documents, 22 queries"
                + " with the documents that answer them): the documents are embedded with the configured model and"
                + " written to --collection in each store (emptied first), then every query is asked in vector,"
                + " keyword and hybrid mode, and recall@k and MRR are printed per store and mode. See"
                + " docs/search.md.",
                "Without --config it uses the demo's stores (the built-in demo configuration).",
                "Exit code 0 when measured, 2 on bad options or configuration, 3 when a store cannot be reached."})
public class SearchQualityCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file; default: the built-in demo configuration.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one configuration key; repeatable.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--stores", split = ",", paramLabel = "STORE",
            description = "Stores to measure (default: pgvector,neo4j,milvus).")
    List<String> stores = List.of("pgvector", "neo4j", "milvus");

    @Option(names = "--collection", defaultValue = "vs_search_quality", paramLabel = "NAME",
            description = "Collection the labelled set is written to (default ${DEFAULT-VALUE}); emptied first.")
    String collection;

    @Option(names = "-k", defaultValue = "5", description = "Answers per query (default ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--fusion", defaultValue = "rrf", paramLabel = "FUSION",
            description = "Fusion of hybrid search: rrf (default) or weighted.")
    String fusion;

    @Option(names = "--vector-weight", defaultValue = "0.7", paramLabel = "W",
            description = "Vector weight of weighted fusion, in [0, 1] (default ${DEFAULT-VALUE}).")
    double vectorWeight;

    @Option(names = "--details", description = "Also print each query's answers per store and mode (relevant ids"
            + " marked *).")
    boolean details;

    @Override
    public Integer call() {
        List<String> problems = new ArrayList<>();
        List<SinkName> names = new ArrayList<>();
        for (String s : stores) {
            try {
                names.add(SinkName.fromId(s));
            } catch (IllegalArgumentException e) {
                problems.add("--stores: " + e.getMessage());
            }
        }
        Fusion f = null;
        try {
            f = Fusion.parse(fusion);
        } catch (IllegalArgumentException e) {
            problems.add("--fusion was '" + fusion + "' but " + e.getMessage());
        }
        if (!(vectorWeight >= 0 && vectorWeight <= 1)) {
            problems.add("--vector-weight was '" + vectorWeight + "' but it must be between 0 and 1");
        }
        if (k < 1 || k > 100) {
            problems.add("-k was '" + k + "' but it must be between 1 and 100");
        }
        if (!Identifiers.isValid(collection)) {
            problems.add("--collection was '" + collection + "' but it must match [A-Za-z_][A-Za-z0-9_]*");
        }
        AppConfig app = null;
        try {
            app = AppConfigLoader.load(DemoConfig.raw(config, overrides), false);
        } catch (ConfigException e) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            problems.forEach(System.err::println);
            return 2;
        }
        Result result;
        try {
            result = SearchQualityRun.run(app, names, collection, k, f, vectorWeight);
        } catch (SinkUnavailableException e) {
            System.err.println("search-quality: " + e.getMessage());
            return 3;
        }
        System.out.print(render(result));
        if (details) {
            System.out.print(details(result));
        }
        return 0;
    }

    static String render(Result r) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "labelled set: %d documents, %d queries; model %s; k=%d; hybrid fusion %s%s%n",
                r.documents(), r.queries().size(), r.model(), r.k(), r.fusion().id(),
                r.fusion() == Fusion.WEIGHTED ? " (vector weight " + r.vectorWeight() + ")" : ""));
        String recall = "RECALL@" + r.k();
        out.append(String.format(Locale.ROOT, "%-9s %-8s %-9s %-7s %s%n", "STORE", "MODE", recall, "MRR", "NOTE"));
        for (Row row : r.rows()) {
            if (row.score().isPresent()) {
                out.append(String.format(Locale.ROOT, "%-9s %-8s %-9.4f %-7.4f%n", row.store().id(),
                        row.mode().id(), row.score().get().recall(), row.score().get().mrr()));
            } else {
                out.append(String.format(Locale.ROOT, "%-9s %-8s %-9s %-7s %s%n", row.store().id(), row.mode().id(),
                        "-", "-", "refused: " + row.refusal().orElse("")));
            }
        }
        return out.toString();
    }

    static String details(Result r) {
        StringBuilder out = new StringBuilder();
        for (int q = 0; q < r.queries().size(); q++) {
            LabelledSet.Query query = r.queries().get(q);
            out.append(String.format(Locale.ROOT, "%nquery %d: %s  (answered by %s)%n", q + 1, query.text(),
                    String.join(", ", query.relevant().stream().sorted().toList())));
            for (Row row : r.rows()) {
                if (row.answers().isEmpty()) {
                    continue;
                }
                List<String> marked = row.answers().get(q).stream()
                        .map(id -> query.relevant().contains(id) ? id + "*" : id).toList();
                out.append(String.format(Locale.ROOT, "  %-9s %-8s %s%n", row.store().id(), row.mode().id(),
                        String.join(" ", marked)));
            }
        }
        return out.toString();
    }
}
