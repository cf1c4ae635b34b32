package io.vectorsync.validation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One source row as the pipeline would turn it into a document.
 *
 * @param key      the id column values as PostgreSQL writes them as text, in the mapping's id column order: what a
 *                 keyset cursor and a re-drive bind
 * @param id       the document id the pipeline gives the row
 * @param text     the rendered template, the text the pipeline embeds
 * @param hash     the content hash the pipeline stores with the document
 * @param metadata the metadata the pipeline stores with the document, as a store reads it back (JSON types); values
 *                 may be null
 * @param sourceVector whether the collection reads its vectors from a source column ({@code collections.<name>.vector})
 *                 rather than from the model
 * @param vector   the row's vector when {@code sourceVector}: what every store must hold, compared instead of a fresh
 *                 embedding; null otherwise, and for a NULL or unreadable vector
 */
public record SourceRow(List<String> key, String id, String text, String hash, Map<String, Object> metadata,
                        boolean sourceVector, float[] vector) {

    public SourceRow {
        key = List.copyOf(key);
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** A row of a collection whose vectors the model makes. */
    public SourceRow(List<String> key, String id, String text, String hash, Map<String, Object> metadata) {
        this(key, id, text, hash, metadata, false, null);
    }

    /** A row of a collection that carries no metadata. */
    public SourceRow(List<String> key, String id, String text, String hash) {
        this(key, id, text, hash, Map.of());
    }
}
