package io.vectorsync.validation;

import io.vectorsync.core.config.CollectionMapping;

import java.util.List;

/**
 * Sends documents through the pipeline again, so every store of the collection ends up with what the source says.
 * Keys are id column values as text, in the mapping's id column order. The app implements it with the connector's
 * re-drive (an incremental snapshot filtered to the keys, and delete events for keys the source lacks).
 */
public interface Redrive extends AutoCloseable {

    /** Re-reads these source rows through the pipeline; every store of the collection applies them. */
    void reread(CollectionMapping mapping, List<List<String>> keys);

    /** Deletes these documents from every store of the collection, for keys the source does not hold. */
    void deleteAbsent(CollectionMapping mapping, List<List<String>> keys);

    @Override
    void close();
}
