package io.vectorsync.streams.topology;

import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.debezium.SourceVector;
import io.vectorsync.core.mapping.MappingException;
import io.vectorsync.core.model.ChangeEvent;

import java.util.Optional;

/**
 * The vector of a document whose collection reads it from a source column ({@code collections.<name>.vector}), in
 * place of the model's. Pure. A vector that cannot be stored is refused with a {@link MappingException} (so the
 * change is dead-lettered) whose reason names the collection, the document's key, the column, and the dimension
 * expected and found.
 */
final class SourceVectors {
    private SourceVectors() {
    }

    /**
     * @param text      the document's rendered text: a NULL vector with blank text follows the blank-text rule (stored
     *                  without a vector), with other text it is refused
     * @param previous  the vector this document holds now, if any: what an unchanged TOAST value stands for
     * @param dimension the configured {@code embedding.dimension}, which every store was created with
     * @return the vector, or null for a NULL vector with blank text
     */
    static float[] vector(CollectionMapping mapping, String id, ChangeEvent event, String text,
                          Optional<float[]> previous, int dimension) {
        String column = mapping.vectorColumn().orElseThrow();
        if (!event.after().containsKey(column)) {
            throw refused(mapping, id, column, "the column is not in the change of " + event.table()
                    + " (was it dropped?)");
        }
        Object value = event.after().get(column);
        float[] vector;
        if (DocumentMapper.isUnavailable(value)) {
            // An update that left a TOASTed vector alone: the vector is the one the document already has.
            vector = previous.orElseThrow(() -> refused(mapping, id, column, "it is an unchanged TOAST value and no"
                    + " earlier vector of this row is known; set REPLICA IDENTITY FULL on the table or backfill it"));
        } else {
            try {
                vector = SourceVector.parse(value);
            } catch (IllegalArgumentException e) {
                throw refused(mapping, id, column, e.getMessage() + "; expected " + dimension + " dimensions");
            }
        }
        if (vector == null) {
            if (text.isBlank()) {
                return null;
            }
            throw refused(mapping, id, column, "the vector is NULL; expected " + dimension + " dimensions, got none");
        }
        if (vector.length != dimension) {
            throw refused(mapping, id, column, "expected " + dimension + " dimensions (embedding.dimension), got "
                    + vector.length);
        }
        return vector;
    }

    private static MappingException refused(CollectionMapping mapping, String id, String column, String reason) {
        return new MappingException("collection '" + mapping.name() + "' key '" + id + "' column '" + column
                + "': " + reason);
    }
}
