package io.vectorsync.validation;

import java.util.List;

/**
 * One source row as the pipeline would turn it into a document.
 *
 * @param key  the id column values as PostgreSQL writes them as text, in the mapping's id column order: what a
 *             keyset cursor and a re-drive bind
 * @param id   the document id the pipeline gives the row
 * @param text the rendered template, the text the pipeline embeds
 * @param hash the content hash the pipeline stores with the document
 */
public record SourceRow(List<String> key, String id, String text, String hash) {

    public SourceRow {
        key = List.copyOf(key);
    }
}
