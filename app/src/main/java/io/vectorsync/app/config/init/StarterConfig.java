package io.vectorsync.app.config.init;

import io.vectorsync.connector.catalog.CatalogColumn;
import io.vectorsync.connector.catalog.CatalogTable;
import io.vectorsync.connector.catalog.SourceCatalog;
import io.vectorsync.core.model.Identifiers;
import io.vectorsync.core.model.TableId;

import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drafts a starting configuration from the source's catalog: one collection per table that has a primary key and
 * text to embed. The guesses, each said in a comment beside the keys it wrote: long string columns (text,
 * unbounded or over {@value #SHORT_STRING} characters) make the template, the first one as a title; short strings,
 * numbers, booleans, dates, arrays, enums, uuid and json are metadata; binary, vector and other types are left out.
 * Pure: the catalog is read elsewhere.
 */
public final class StarterConfig {
    /** A varchar/char of at most this many characters reads as a label (metadata), not as text to embed. */
    static final int SHORT_STRING = 64;

    private static final Pattern LENGTH = Pattern.compile("\\((\\d+)\\)$");
    private static final Set<Character> METADATA_CATEGORIES = Set.of('S', 'N', 'B', 'D', 'A', 'E');
    private static final Set<String> METADATA_TYPES = Set.of("uuid", "json", "jsonb");

    /** Where the collections go: {@code sinks}, or a migration from {@code legacy} to {@code target}. */
    public record Stores(String sinks, String legacy, String target) {
        public static Stores sinks(String sinks) {
            return new Stores(sinks, null, null);
        }

        public static Stores migration(String legacy, String target) {
            return new Stores(null, legacy, target);
        }
    }

    /** One table and what became of it: a collection, or the reason it was left out. */
    public record Outcome(CatalogTable table, String collection, String reason) {
        public boolean mapped() {
            return collection != null;
        }
    }

    /** The file's text, the settings it holds as a map, and each table's outcome. */
    public record Draft(String text, Map<String, String> settings, List<Outcome> outcomes) {
        public long mapped() {
            return outcomes.stream().filter(Outcome::mapped).count();
        }
    }

    private StarterConfig() {
    }

    /**
     * @param settings keys carried into the file as given (connection, Kafka, stores), in order; secrets must
     *                 already be left out by the caller
     * @param excluded tables never mapped: the connector's signal and heartbeat tables
     */
    public static Draft draft(List<CatalogTable> tables, Map<String, String> settings, Stores stores,
                              Set<TableId> excluded, String header) {
        StringBuilder text = new StringBuilder(header);
        Map<String, String> all = new LinkedHashMap<>();
        if (!settings.isEmpty()) {
            text.append('\n');
            settings.forEach((k, v) -> put(text, all, k, v));
        }
        List<Outcome> outcomes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (CatalogTable t : tables) {
            String reason = reasonToSkip(t, excluded);
            if (reason != null) {
                outcomes.add(new Outcome(t, null, reason));
                continue;
            }
            String name = names.add(t.name()) ? t.name() : t.schema() + "_" + t.name();
            names.add(name);
            outcomes.add(new Outcome(t, name, null));
            collection(text, all, name, t, stores);
        }
        List<Outcome> skipped = outcomes.stream().filter(o -> !o.mapped()).toList();
        if (!skipped.isEmpty()) {
            text.append("\n# Not mapped:\n");
            skipped.forEach(o -> text.append("#   ").append(o.table().qualifiedName()).append(": ")
                    .append(o.reason()).append('\n'));
        }
        return new Draft(text.toString(), all, outcomes);
    }

    private static String reasonToSkip(CatalogTable t, Set<TableId> excluded) {
        if (!Identifiers.isValid(t.schema()) || !Identifiers.isValid(t.name())) {
            return "its name is not a plain identifier ([A-Za-z_][A-Za-z0-9_]*, at most 63 characters)";
        }
        if (excluded.contains(new TableId(t.schema(), t.name()))) {
            return "the connector's own signal or heartbeat table";
        }
        if (t.primaryKey().isEmpty()) {
            return "no primary key (documents are keyed by it)";
        }
        if (!t.primaryKey().stream().allMatch(Identifiers::isValid)) {
            return "a primary key column's name is not a plain identifier";
        }
        if (template(t).isEmpty()) {
            return "no text column to embed";
        }
        return null;
    }

    private static void collection(StringBuilder text, Map<String, String> all, String name, CatalogTable t,
                                   Stores stores) {
        List<String> template = template(t);
        List<String> metadata = new ArrayList<>();
        List<String> left = new ArrayList<>();
        for (CatalogColumn c : t.columns()) {
            if (t.primaryKey().contains(c.name()) || template.contains(c.name())) {
                continue;
            }
            if (Identifiers.isValid(c.name()) && isMetadata(c)) {
                metadata.add(c.name());
            } else {
                left.add(c.name() + " (" + c.type() + ")");
            }
        }
        text.append("\n# ").append(t.qualifiedName()).append(": ").append(rows(t)).append("; primary key (")
                .append(String.join(", ", t.primaryKey())).append(")\n");
        if (!left.isEmpty()) {
            text.append("# left out: ").append(String.join(", ", left)).append('\n');
        }
        String prefix = "collections." + name + ".";
        put(text, all, prefix + "table", t.qualifiedName());
        put(text, all, prefix + "id", String.join(",", t.primaryKey()));
        put(text, all, prefix + "template", templateText(template));
        if (!metadata.isEmpty()) {
            put(text, all, prefix + "metadata", String.join(",", metadata));
        }
        if (stores.sinks() != null) {
            put(text, all, prefix + "sinks", stores.sinks());
        } else {
            put(text, all, prefix + "legacy", stores.legacy());
            put(text, all, prefix + "target", stores.target());
        }
    }

    /** The long string columns outside the key with plain names; every string column if none is long. */
    static List<String> template(CatalogTable t) {
        List<CatalogColumn> text = t.textColumns().stream().filter(c -> Identifiers.isValid(c.name())).toList();
        List<String> longOnes = text.stream().filter(c -> !isShort(c)).map(CatalogColumn::name).toList();
        return longOnes.isEmpty() ? text.stream().map(CatalogColumn::name).toList() : longOnes;
    }

    static String templateText(List<String> columns) {
        StringBuilder out = new StringBuilder("{" + columns.get(0) + "}");
        for (int i = 1; i < columns.size(); i++) {
            out.append(i == 1 ? ": " : " ").append('{').append(columns.get(i)).append('}');
        }
        return out.toString();
    }

    private static boolean isShort(CatalogColumn c) {
        Matcher m = LENGTH.matcher(c.type());
        return m.find() && Long.parseLong(m.group(1)) <= SHORT_STRING;
    }

    private static boolean isMetadata(CatalogColumn c) {
        return METADATA_CATEGORIES.contains(c.category()) || METADATA_TYPES.contains(c.typeName());
    }

    static String rows(CatalogTable t) {
        NumberFormat f = NumberFormat.getIntegerInstance(Locale.ROOT);
        if (t.rows() < 0) {
            return "row count unknown";
        }
        if (!t.exact()) {
            return "about " + f.format(t.rows()) + " rows (planner estimate)";
        }
        return t.rows() > SourceCatalog.COUNT_LIMIT ? "more than " + f.format(SourceCatalog.COUNT_LIMIT) + " rows"
                : f.format(t.rows()) + (t.rows() == 1 ? " row" : " rows");
    }

    private static void put(StringBuilder text, Map<String, String> all, String key, String value) {
        all.put(key, value);
        text.append(key).append('=').append(escape(value)).append('\n');
    }

    /** A Java properties value: backslashes, line breaks and leading blanks escaped. */
    static String escape(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case ' ' -> out.append(i == 0 ? "\\ " : " ");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }
}
