package io.vectorsync.app.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import io.vectorsync.core.Topics;
import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.TableId;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a dead letter is about, read from its headers, key and value: the stage that refused it, the store (sink
 * stage), the source table (connector and streams stages), the collections it belongs to and the row or document
 * it names. Pure: no I/O.
 *
 * @param sink        the store whose sink refused it; empty unless {@code stage} is {@link Stage#SINK}
 * @param table       the source table; empty for the sink stage
 * @param collections the collections it belongs to (a sink's change names one; a table may feed several)
 * @param document    the document id (sink stage) or the row's key columns {@code col=value,...}; "?" if unreadable
 * @param sourceKey   the row's primary-key columns and values as text (connector and streams stages), else empty
 */
public record DeadLetterOrigin(Stage stage, Optional<SinkName> sink, Optional<TableId> table,
                               List<String> collections, String document, Map<String, String> sourceKey) {
    private static final String CDC = Topics.cdcPrefix() + ".";

    public DeadLetterOrigin {
        collections = List.copyOf(collections);
        sourceKey = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sourceKey));
    }

    public static DeadLetterOrigin of(DeadLetter letter, Topics topics, MappingConfig mappings) {
        String source = letter.sourceTopic();
        if (source == null) {
            return unknown();
        }
        for (SinkName s : SinkName.values()) {
            if (topics.sink(s).equals(source)) {
                return sinkStage(letter, s);
            }
        }
        if (source.startsWith(CDC)) {
            TableId table;
            try {
                table = TableId.parse(source.substring(CDC.length()));
            } catch (IllegalArgumentException e) {
                return unknown();
            }
            List<String> collections = mappings.collections().stream().filter(c -> c.table().equals(table))
                    .map(CollectionMapping::name).toList();
            Map<String, String> key = sourceKey(letter.key());
            String document = key.isEmpty() ? "?" : key.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(","));
            return new DeadLetterOrigin(letter.sourcePartition() < 0 ? Stage.CONNECTOR : Stage.STREAMS,
                    Optional.empty(), Optional.of(table), collections, document, key);
        }
        return unknown();
    }

    /** {@code sink:pgvector}, {@code streams}, {@code connector} or {@code unknown}. */
    public String stageLabel() {
        return sink.map(s -> stage.id() + ":" + s.id()).orElse(stage.id());
    }

    private static DeadLetterOrigin sinkStage(DeadLetter letter, SinkName sink) {
        try {
            EnrichedChange change = Json.read(letter.value(), EnrichedChange.class);
            return new DeadLetterOrigin(Stage.SINK, Optional.of(sink), Optional.empty(),
                    List.of(change.collection()), change.id(), Map.of());
        } catch (RuntimeException e) {
            return new DeadLetterOrigin(Stage.SINK, Optional.of(sink), Optional.empty(), List.of(),
                    letter.key() == null ? "?" : letter.key(), Map.of());
        }
    }

    private static DeadLetterOrigin unknown() {
        return new DeadLetterOrigin(Stage.UNKNOWN, Optional.empty(), Optional.empty(), List.of(), "?", Map.of());
    }

    /** Debezium's record key, a flat JSON object of the primary-key columns; empty when absent or not that. */
    static Map<String, String> sourceKey(String key) {
        if (key == null) {
            return Map.of();
        }
        try {
            JsonNode node = Json.mapper().readTree(key);
            if (node == null || !node.isObject()) {
                return Map.of();
            }
            // A key with a schema envelope carries its values under "payload".
            if (node.has("payload") && node.get("payload").isObject() && node.has("schema")) {
                node = node.get("payload");
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getValue() == null || f.getValue().isNull() || f.getValue().isContainerNode()) {
                    return Map.of();
                }
                values.put(f.getKey(), f.getValue().asText());
            }
            return values;
        } catch (java.io.IOException e) {
            return Map.of();
        }
    }

    /** The key's column names, in order. */
    public List<String> keyColumns() {
        return new ArrayList<>(sourceKey.keySet());
    }
}
