package io.vectorsync.sink.api;

import io.vectorsync.core.model.SinkName;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads documents back from one store, in the same shape for every store: for validation, search and tests. Reads
 * see every batch a {@link Sink} has returned from {@code apply}. One thread at a time.
 */
public interface SinkReader extends AutoCloseable {

    SinkName name();

    /** The document as stored, or empty when the store does not hold it (never written, or deleted). */
    Optional<StoredDocument> find(String collection, String id) throws SinkUnavailableException;

    /**
     * The stored documents among {@code ids}, by id; ids the store does not hold are absent. Stores that can read
     * many keys in one request override this.
     */
    default Map<String, StoredDocument> findAll(String collection, Collection<String> ids)
            throws SinkUnavailableException {
        Map<String, StoredDocument> found = new LinkedHashMap<>();
        for (String id : ids) {
            Optional<StoredDocument> doc = find(collection, id);
            if (doc.isPresent()) {
                found.put(id, doc.get());
            }
        }
        return found;
    }

    /**
     * The {@code k} documents nearest to {@code vector} by cosine similarity, nearest first; documents without a
     * vector are never returned; empty when the collection does not exist.
     */
    List<SearchHit> search(String collection, float[] vector, int k) throws SinkUnavailableException;

    /**
     * Why this store cannot search by keyword, worded for the user who asked; empty when it can
     * ({@link #keywordSearch}). A store without keyword search keeps the default.
     */
    default Optional<String> keywordSearchRefusal() {
        return Optional.of(name().id() + " has no keyword search; use mode=vector");
    }

    /**
     * The {@code k} documents whose text best matches {@code text}, best first, scored by the store's own keyword
     * ranking (not comparable with cosine scores, nor between stores); empty when the collection does not exist.
     *
     * @throws UnsupportedOperationException with {@link #keywordSearchRefusal()} when the store cannot
     */
    default List<SearchHit> keywordSearch(String collection, String text, int k) throws SinkUnavailableException {
        throw new UnsupportedOperationException(keywordSearchRefusal().orElse(name().id() + " has no keyword search"));
    }

    /**
     * Up to {@code limit} ids of live documents of {@code collection} greater than {@code afterId} (null = from the
     * start), ascending in binary (code point / C collation) order; empty when the collection does not exist.
     *
     * <p>Every store returns the same order, so a keyset scan (pass the last id of one page as {@code afterId} of the
     * next) walks each store's ids in step with the others and with the source's. Fewer than {@code limit} ids means
     * the scan reached the end.
     *
     * @throws IllegalArgumentException when {@code limit} is below 1 or the collection name is invalid
     */
    List<String> ids(String collection, String afterId, int limit) throws SinkUnavailableException;

    /** How many live documents the collection holds; 0 when the collection does not exist. */
    long count(String collection) throws SinkUnavailableException;

    @Override
    void close();

    /**
     * The document's outgoing relationships (the mapping's relations drawn as edges): type to the ids of the nodes
     * they point at, both sorted. Empty for a store that does not draw relations, and when there are none.
     */
    default Map<String, List<String>> relationships(String collection, String id) throws SinkUnavailableException {
        return Map.of();
    }
}
