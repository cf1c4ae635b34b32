package io.vectorsync.sink.api;

import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.core.model.SinkName;

import java.time.Instant;
import java.util.List;

/**
 * One store that documents are written to. Implementations are idempotent: applying the same batch twice, or a
 * change older (by LSN) than what the store holds for that document, changes nothing — including after a delete,
 * whose LSN is remembered so a replayed older insert cannot resurrect the row.
 */
public interface Sink extends AutoCloseable {

    SinkName name();

    /** Creates what the collection needs in the store (table, index, ...) if missing. Idempotent. */
    void prepare(CollectionMapping collection) throws SinkUnavailableException;

    /**
     * Applies a batch atomically where the store allows. Changes that can never be applied (a vector of the wrong
     * dimension, say) are returned as rejected, not thrown, so the caller dead-letters them and goes on.
     *
     * @throws SinkUnavailableException when the store cannot be reached or fails transiently; nothing may be
     *                                  assumed applied, and the caller retries the whole batch
     */
    ApplyResult apply(List<EnrichedChange> batch) throws SinkUnavailableException;

    /**
     * Removes at most {@code limit} tombstones of a prepared collection whose delete was committed at the source
     * before {@code deletedBefore}, and returns how many it removed: the caller repeats while it gets {@code limit}.
     * Documents and younger tombstones stay; so does the collection's truncate watermark
     * ({@link BatchPlan#TRUNCATE_WATERMARK_ID}), whatever its age, since no other marker stands in for it. Running
     * it again removes nothing more.
     *
     * @throws SinkUnavailableException when the store cannot be reached; nothing may be assumed removed
     */
    int purgeTombstones(String collection, Instant deletedBefore, int limit) throws SinkUnavailableException;

    @Override
    void close();
}
