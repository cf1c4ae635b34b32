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
import java.util.function.Function;

/** The collection mappings, {@code collections.<name>.*}. */
public record MappingConfig(List<CollectionMapping> collections) {

    public static final String PREFIX = "collections";
    public static final ConfigKey<String> TABLE = ConfigKey.string("collections.<name>.table", null,
            "Source table as schema.table (schema defaults to public).");
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
    public static final List<ConfigKey<?>> KEYS = List.of(TABLE, ID, TEMPLATE, METADATA, SINKS, RELATIONS);

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
                    && relations != null) {
                out.add(new CollectionMapping(name, table, ids, template, metadata, sinks, relations));
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
