package io.vectorsync.app.cli;

import io.vectorsync.app.config.AppConfigLoader;
import io.vectorsync.app.config.ConfigKeys;
import io.vectorsync.app.config.init.StarterConfig;
import io.vectorsync.app.config.init.StarterConfig.Draft;
import io.vectorsync.app.config.init.StarterConfig.Outcome;
import io.vectorsync.app.config.init.StarterConfig.Stores;
import io.vectorsync.connector.ConnectorConfig;
import io.vectorsync.connector.catalog.CatalogTable;
import io.vectorsync.connector.catalog.SourceCatalog;
import io.vectorsync.core.config.ConfigException;
import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.model.TableId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code vectorsync config init}: a starting configuration drafted from the source database's catalog. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Read the source database's catalog, list its tables (rows, primary key, text columns) and"
                + " write a starting configuration with one collection per table that has a primary key and text:"
                + " the template from its long text columns, metadata from the rest, the stores from --sinks (or"
                + " --legacy/--target). Keys given with --config or --set (connection, Kafka, stores) are carried"
                + " into the file, secrets excepted. The draft is then checked like any configuration, against the"
                + " live source too. Review it before use.",
                "Exit codes: 0 written and valid, 1 written but not valid yet (or no table could be mapped),"
                        + " 2 bad input (an option, a key, or the file exists without --force), 3 the source"
                        + " database cannot be reached."})
public class ConfigInitCommand implements Callable<Integer> {
    static final int VALID = 0;
    static final int NOT_VALID = 1;
    static final int BAD_INPUT = 2;
    static final int UNREACHABLE = 3;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "A configuration to start from: its keys (collections excepted) are carried over.")
    Path base;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "A key for the draft and for reaching the source, e.g. source.host=db.internal; repeatable.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--schema", paramLabel = "SCHEMA", defaultValue = "public", split = ",",
            description = "Schemas whose tables are read (default ${DEFAULT-VALUE}); repeatable or comma-separated.")
    List<String> schemas;

    @Option(names = "--table", paramLabel = "TABLE", split = ",",
            description = "Map only these tables (name or schema.name); repeatable or comma-separated.")
    List<String> tables;

    @Option(names = "--sinks", defaultValue = "pgvector", paramLabel = "STORES",
            description = "Stores every collection is written to (default ${DEFAULT-VALUE}): pgvector, neo4j, milvus.")
    String sinks;

    @Option(names = "--legacy", paramLabel = "STORE",
            description = "Instead of --sinks: migrate every collection from this store (with --target).")
    String legacy;

    @Option(names = "--target", paramLabel = "STORE", description = "The store the collections migrate to.")
    String target;

    @Option(names = {"-o", "--output"}, defaultValue = "vectorsync.properties", paramLabel = "FILE",
            description = "Where the draft is written (default ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--force", description = "Overwrite the output file if it exists.")
    boolean force;

    @Override
    public Integer call() {
        if ((legacy == null) != (target == null)) {
            System.err.println("--legacy and --target go together");
            return BAD_INPUT;
        }
        if (Files.exists(output) && !force) {
            System.err.println(output + " exists; choose another --output or add --force");
            return BAD_INPUT;
        }
        Map<String, String> raw = new LinkedHashMap<>();
        ConnectorConfig source;
        try {
            if (base != null) {
                raw.putAll(AppConfigLoader.read(base));
            }
            raw.putAll(overrides);
            raw.keySet().removeIf(k -> k.startsWith("collections."));
            source = sourceSettings(raw);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return BAD_INPUT;
        }

        List<CatalogTable> found;
        try (Connection c = source.sourceDatabase().connect("vectorsync-config-init", Duration.ofSeconds(10),
                Duration.ofSeconds(120))) {
            found = new SourceCatalog(c).tables(schemas);
        } catch (SQLException e) {
            System.err.println("the source database " + source.address() + " cannot be read: " + e.getMessage());
            return UNREACHABLE;
        }
        List<CatalogTable> chosen = chosen(found);
        if (chosen == null) {
            return BAD_INPUT;
        }

        Map<String, String> carried = new LinkedHashMap<>();
        List<String> secrets = new ArrayList<>();
        raw.forEach((k, v) -> {
            if (ConfigKeys.isSecret(k) && !v.startsWith("${")) {
                secrets.add(k);
            } else {
                carried.put(k, v);
            }
        });
        Draft draft = StarterConfig.draft(chosen, carried, stores(),
                Set.of(source.signalTable(), source.heartbeatTable()), header(source, secrets));
        try {
            Files.writeString(output, draft.text(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("cannot write " + output + ": " + e.getMessage());
            return BAD_INPUT;
        }
        System.out.print(summary(draft));
        System.out.println("wrote " + output + ": " + draft.mapped() + " of " + draft.outcomes().size()
                + " tables mapped");
        if (draft.mapped() == 0) {
            System.out.println("no table of schemas " + schemas + " can be mapped; see the reasons above");
            return NOT_VALID;
        }
        Map<String, String> check = new LinkedHashMap<>(draft.settings());
        secrets.forEach(k -> check.put(k, raw.get(k)));
        try {
            AppConfigLoader.load(check, true);
            System.out.println("configuration is valid");
            return VALID;
        } catch (ConfigException e) {
            System.out.println("the draft is not valid yet:");
            System.out.println(e.getMessage());
            return NOT_VALID;
        }
    }

    /** The source.* keys only: enough to reach the database, every problem with them listed. */
    private static ConnectorConfig sourceSettings(Map<String, String> raw) {
        Map<String, String> sourceKeys = new LinkedHashMap<>();
        raw.forEach((k, v) -> {
            if (k.startsWith("source.")) {
                sourceKeys.put(k, v);
            }
        });
        ConfigReader reader = new ConfigReader(sourceKeys);
        ConnectorConfig source = ConnectorConfig.from(reader);
        reader.finish();
        return source;
    }

    /** The tables --table names (all when none), or null after saying which named table is not there. */
    private List<CatalogTable> chosen(List<CatalogTable> found) {
        if (tables == null || tables.isEmpty()) {
            return found;
        }
        List<CatalogTable> out = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String name : tables) {
            String n = name.trim();
            List<CatalogTable> matches = found.stream()
                    .filter(t -> t.qualifiedName().equals(n) || t.name().equals(n)).toList();
            if (matches.isEmpty()) {
                missing.add(n);
            }
            matches.stream().filter(t -> !out.contains(t)).forEach(out::add);
        }
        if (!missing.isEmpty()) {
            System.err.println("--table: no such table in schemas " + schemas + ": " + String.join(", ", missing));
            return null;
        }
        return out;
    }

    private Stores stores() {
        return legacy != null ? Stores.migration(legacy, target) : Stores.sinks(sinks);
    }

    private static String header(ConnectorConfig source, List<String> secrets) {
        StringBuilder h = new StringBuilder("# A starting configuration, written by `vectorsync config init` on "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n# from database " + source.database() + " at "
                + source.address() + ". Review it before use: the template (the text that is embedded), the\n"
                + "# metadata and the stores are guesses from column types. Every key: `vectorsync config"
                + " reference`.\n");
        for (String k : secrets) {
            h.append("# ").append(k).append(" is a secret and is not written here: add ").append(k)
                    .append("=${env:NAME} or ${file:/path} (docs/security.md).\n");
        }
        return h.toString();
    }

    /** One line per table: name, rows, primary key, text columns, what became of it. */
    static String summary(Draft draft) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"TABLE", "ROWS", "PRIMARY KEY", "TEXT COLUMNS", "RESULT"});
        for (Outcome o : draft.outcomes()) {
            CatalogTable t = o.table();
            rows.add(new String[]{t.qualifiedName(), Long.toString(t.rows()) + (t.exact() ? "" : "~"),
                    t.primaryKey().isEmpty() ? "-" : String.join(",", t.primaryKey()),
                    t.textColumns().isEmpty() ? "-" : String.join(",",
                            t.textColumns().stream().map(c -> c.name()).toList()),
                    o.mapped() ? "collection " + o.collection() : "not mapped: " + o.reason()});
        }
        int[] width = new int[5];
        rows.forEach(r -> {
            for (int i = 0; i < 4; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        });
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < 4; i++) {
                out.append(String.format("%-" + width[i] + "s  ", r[i]));
            }
            out.append(r[4]).append('\n');
        }
        return out.toString();
    }
}
