package io.vectorsync.core.config;

import io.vectorsync.core.model.Identifiers;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.TableId;
import io.vectorsync.core.model.TextTemplate;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/** The collection mappings, {@code collections.<name>.*}. */
public record MappingConfig(List<CollectionMapping> collections) {

    public static final String PREFIX = "collections";
    /** Not a collection name: mode requests use it for every collection. */
    public static final String ALL = "all";
    public static final ConfigKey<String> TABLE = ConfigKey.string("collections.<name>.table", null,
            "Source table as schema.table (schema defaults to public); not the connector's signal or heartbeat table.");
    public static final ConfigKey<List<String>> ID = ConfigKey.list("collections.<name>.id", null,
            "Comma-separated id column(s): the table's primary key.");
    public static final ConfigKey<String> TEMPLATE = ConfigKey.string("collections.<name>.template", null,
            "Text to embed, columns in braces, e.g. {title}: {body}.");
    public static final ConfigKey<List<String>> METADATA = ConfigKey.list("collections.<name>.metadata", "",
            "Comma-separated columns carried as metadata.");
    public static final ConfigKey<List<String>> SINKS = ConfigKey.list("collections.<name>.sinks", "pgvector",
            "Comma-separated stores that receive this collection: " + SinkName.ids() + ".");
    public static final ConfigKey<List<String>> RELATIONS = ConfigKey.list("collections.<name>.relations", "",
            "Comma-separated foreign keys that graph stores draw as relationships, each column->TYPE:Label, e.g."
                    + " author_id->AUTHORED_BY:Author. The column's value is also carried as metadata.");
    public static final ConfigKey<String> LEGACY = ConfigKey.optionalString("collections.<name>.legacy",
            "The store a migration moves this collection away from (" + SinkName.ids() + "). With .target set, the"
                    + " collection's writes and reads follow its storage mode, and .sinks must stay unset.");
    public static final ConfigKey<String> TARGET = ConfigKey.optionalString("collections.<name>.target",
            "The store a migration moves this collection to; different from .legacy.");
    public static final ConfigKey<String> VECTOR = ConfigKey.optionalString("collections.<name>.vector",
            "Source column holding each document's vector already (pgvector vector, real[], float8[], or a JSON"
                    + " array of numbers): no model is called for this collection; the template's text is stored,"
                    + " not embedded. Its width must be embedding.dimension; see docs/embeddings.md.");
    public static final List<ConfigKey<?>> KEYS = List.of(TABLE, ID, TEMPLATE, METADATA, SINKS, RELATIONS, LEGACY,
            TARGET, VECTOR);

    public MappingConfig {
        collections = List.copyOf(collections);
    }

    public static MappingConfig from(ConfigReader reader) {
        List<CollectionMapping> out = new ArrayList<>();
        Map<String, String> tableOwners = new HashMap<>();
        Set<String> names = reader.names(PREFIX);
        if (names.isEmpty()) {
            reader.problem(PREFIX + ".<name>.table", null, "is required: configure at least one collection");
        }
        for (String name : names) {
            if (!Identifiers.isValid(name)) {
                reader.problem(PREFIX + "." + name, name, "a collection name must match [A-Za-z_][A-Za-z0-9_]*");
                continue;
            }
            if (name.equals(ALL)) {
                reader.problem(PREFIX + "." + name, name, "'" + name + "' is reserved: mode requests use it for every"
                        + " collection");
                continue;
            }
            String tableText = reader.get(TABLE.forName(name));
            List<String> ids = reader.get(ID.forName(name));
            String templateText = reader.get(TEMPLATE.forName(name));
            List<String> metadata = reader.get(METADATA.forName(name));
            List<String> sinkIds = reader.get(SINKS.forName(name));
            List<Relation> relations = relations(reader, RELATIONS.forName(name).name(),
                    reader.get(RELATIONS.forName(name)));

            TableId table = parse(reader, TABLE.forName(name).name(), tableText, TableId::parse);
            TextTemplate template = parse(reader, TEMPLATE.forName(name).name(), templateText, TextTemplate::parse);
            Set<SinkName> sinks = sinks(reader, SINKS.forName(name).name(), sinkIds);
            Optional<Migration> migration = migration(reader, name);
            Optional<String> vector = vectorColumn(reader, name, ids);
            checkColumns(reader, ID.forName(name).name(), ids);
            checkColumns(reader, METADATA.forName(name).name(), metadata);
            if (ids != null && ids.isEmpty()) {
                reader.problem(ID.forName(name).name(), "", "it must name at least one column");
            }
            if (table != null) {
                String other = tableOwners.putIfAbsent(table.toString(), name);
                if (other != null) {
                    reader.problem(TABLE.forName(name).name(), tableText,
                            "table " + table + " is already mapped by collection '" + other + "'");
                }
            }
            if (table != null && ids != null && template != null && metadata != null && sinks != null
                    && relations != null && migration != null && vector != null) {
                out.add(new CollectionMapping(name, table, ids, template, metadata, sinks, relations, migration,
                        vector));
            }
        }
        return new MappingConfig(out);
    }

    public Optional<CollectionMapping> forTable(TableId table) {
        return collections.stream().filter(c -> c.table().equals(table)).findFirst();
    }

    private static <T> T parse(ConfigReader reader, String key, String value, Function<String, T> parser) {
        if (value == null) {
            return null;
        }
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            reader.problem(key, value, e.getMessage());
            return null;
        }
    }

    private static List<Relation> relations(ConfigReader reader, String key, List<String> texts) {
        if (texts == null) {
            return null;
        }
        List<Relation> relations = new ArrayList<>();
        Set<String> columns = new HashSet<>();
        boolean ok = true;
        for (String text : texts) {
            try {
                Relation relation = Relation.parse(text);
                if (!columns.add(relation.column())) {
                    reader.problem(key, text, "column '" + relation.column() + "' already has a relation");
                    ok = false;
                }
                relations.add(relation);
            } catch (IllegalArgumentException e) {
                reader.problem(key, text, e.getMessage());
                ok = false;
            }
        }
        return ok ? relations : null;
    }

    /** Empty when the collection's vectors come from the model; null when the key is wrong (problems recorded). */
    private static Optional<String> vectorColumn(ConfigReader reader, String name, List<String> ids) {
        ConfigKey<String> key = VECTOR.forName(name);
        String column = reader.get(key).trim();
        if (column.isEmpty()) {
            return Optional.empty();
        }
        if (!Identifiers.isValid(column)) {
            reader.problem(key.name(), column, "a column name must match [A-Za-z_][A-Za-z0-9_]*");
            return null;
        }
        if (ids != null && ids.contains(column)) {
            reader.problem(key.name(), column, "it is an id column of " + ID.forName(name).name()
                    + "; the vector must be a column of its own");
            return null;
        }
        return Optional.of(column);
    }

    /** Empty when the collection does not migrate; null when its migration keys are wrong (problems recorded). */
    private static Optional<Migration> migration(ConfigReader reader, String name) {
        ConfigKey<String> legacyKey = LEGACY.forName(name);
        ConfigKey<String> targetKey = TARGET.forName(name);
        String legacyText = reader.get(legacyKey).trim();
        String targetText = reader.get(targetKey).trim();
        if (legacyText.isEmpty() && targetText.isEmpty()) {
            return Optional.empty();
        }
        boolean ok = true;
        if (legacyText.isEmpty() || targetText.isEmpty()) {
            ConfigKey<String> missing = legacyText.isEmpty() ? legacyKey : targetKey;
            ConfigKey<String> given = legacyText.isEmpty() ? targetKey : legacyKey;
            reader.problem(missing.name(), null, "is required when " + given.name() + " is set: a migration names"
                    + " both stores");
            ok = false;
        }
        if (reader.isSet(SINKS.forName(name))) {
            reader.problem(SINKS.forName(name).name(), String.join(",", reader.get(SINKS.forName(name))),
                    "a collection with legacy and target stores is written by its storage mode; remove this key");
            ok = false;
        }
        SinkName legacy = store(reader, legacyKey, legacyText);
        SinkName target = store(reader, targetKey, targetText);
        if (!ok || legacy == null || target == null) {
            return null;
        }
        if (legacy == target) {
            reader.problem(targetKey.name(), targetText, "the target must be a different store than the legacy ("
                    + legacy + ")");
            return null;
        }
        return Optional.of(new Migration(legacy, target));
    }

    private static SinkName store(ConfigReader reader, ConfigKey<String> key, String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return SinkName.fromId(text);
        } catch (IllegalArgumentException e) {
            reader.problem(key.name(), text, "it must be one of " + SinkName.ids());
            return null;
        }
    }

    /** The collections that migrate, by name. */
    public Map<String, Migration> migrations() {
        Map<String, Migration> out = new TreeMap<>();
        collections.forEach(c -> c.migration().ifPresent(m -> out.put(c.name(), m)));
        return out;
    }

    public Optional<CollectionMapping> collection(String name) {
        return collections.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    private static Set<SinkName> sinks(ConfigReader reader, String key, List<String> ids) {
        if (ids == null) {
            return null;
        }
        Set<SinkName> sinks = EnumSet.noneOf(SinkName.class);
        for (String id : ids) {
            try {
                sinks.add(SinkName.fromId(id));
            } catch (IllegalArgumentException e) {
                reader.problem(key, id, "it must be one of " + SinkName.ids());
                return null;
            }
        }
        if (sinks.isEmpty()) {
            reader.problem(key, "", "it must name at least one sink");
            return null;
        }
        return sinks;
    }

    private static void checkColumns(ConfigReader reader, String key, List<String> columns) {
        if (columns == null) {
            return;
        }
        for (String c : columns) {
            if (!Identifiers.isValid(c)) {
                reader.problem(key, c, "a column name must match [A-Za-z_][A-Za-z0-9_]*");
            }
        }
    }
}
