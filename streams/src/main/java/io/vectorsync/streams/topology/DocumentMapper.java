package io.vectorsync.streams.topology;

import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.mapping.DocumentIds;
import io.vectorsync.core.mapping.MappingException;
import io.vectorsync.core.model.ChangeEvent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Pure functions from a change and its mapping to a document's id, columns, text and metadata. */
public final class DocumentMapper {
    private DocumentMapper() {
    }

    /** The document id ({@link DocumentIds}) of the row the change leaves, or for a delete the row it removed. */
    public static String documentId(CollectionMapping mapping, ChangeEvent event) {
        Map<String, Object> row = event.isDelete() ? event.currentRow() : merged(event.key(), event.after());
        try {
            return DocumentIds.documentId(mapping, row);
        } catch (IllegalArgumentException e) {
            throw new MappingException(e.getMessage() + " in the change of " + event.table());
        }
    }

    /**
     * The mapped columns as they are now. A TOASTed column an update did not touch arrives as Debezium's
     * placeholder; its last known value is taken from {@code previous}, and without one the change is refused
     * rather than embedding or storing the placeholder.
     */
    public static Map<String, Object> resolveColumns(CollectionMapping mapping, ChangeEvent event,
                                                     Optional<Map<String, Object>> previous) {
        Map<String, Object> resolved = new LinkedHashMap<>();
        for (String column : mapping.columns()) {
            Object value = event.after().get(column);
            if (isUnavailable(value)) {
                if (previous.isEmpty() || !previous.get().containsKey(column)) {
                    throw new MappingException("column '" + column + "' of " + event.table()
                            + " is an unchanged TOAST value and no earlier value of this row is known; set "
                            + "REPLICA IDENTITY FULL on the table or backfill it");
                }
                value = previous.get().get(column);
            } else if (!event.after().containsKey(column)) {
                throw new MappingException("column '" + column + "' mapped by collection '" + mapping.name()
                        + "' is not in the change of " + event.table());
            }
            resolved.put(column, value);
        }
        return resolved;
    }

    public static String text(CollectionMapping mapping, Map<String, Object> columns) {
        return mapping.template().render(columns);
    }

    public static Map<String, Object> metadata(CollectionMapping mapping, Map<String, Object> columns) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (String column : mapping.carriedColumns()) {
            metadata.put(column, columns.get(column));
        }
        return metadata;
    }

    static boolean isUnavailable(Object value) {
        return ChangeEvent.isUnavailable(value)
                || (value instanceof List<?> list && list.size() == 1 && ChangeEvent.isUnavailable(list.get(0)));
    }

    private static Map<String, Object> merged(Map<String, Object> key, Map<String, Object> after) {
        Map<String, Object> row = new LinkedHashMap<>(after);
        row.putAll(key);
        return row;
    }
}
