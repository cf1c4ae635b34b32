package io.vectorsync.core.model;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A document change ready for a sink: mapped, hashed and embedded once, then fanned out to every sink.
 *
 * @param collection  target collection
 * @param id          document id (from the mapping's id columns); empty for a truncate, which is of no one document
 * @param kind        upsert, delete, or truncate (every document of the collection with an LSN below this one's is
 *                    removed, and no change with a lower LSN may be written after it)
 * @param content     the text that was embedded; null for deletes, and never null for upserts (null becomes "")
 * @param metadata    metadata columns; empty for deletes
 * @param embedding   the vector of {@code content}; null for deletes and for blank text
 * @param model       embedding model id; null for deletes
 * @param contentHash SHA-256 hex of {@code content}; null for deletes
 * @param lsn         source LSN; a sink never lets an older LSN overwrite a newer one
 * @param sourceTsMs  source commit time, epoch millis
 */
public record EnrichedChange(
        String collection,
        String id,
        Kind kind,
        String content,
        Map<String, Object> metadata,
        float[] embedding,
        String model,
        String contentHash,
        long lsn,
        long sourceTsMs) {

    public enum Kind { UPSERT, DELETE, TRUNCATE }

    public EnrichedChange {
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        metadata = Maps.immutableCopy(metadata);
        if (kind == Kind.UPSERT && content == null) {
            content = "";
        }
    }

    public static EnrichedChange delete(String collection, String id, long lsn, long sourceTsMs) {
        return new EnrichedChange(collection, id, Kind.DELETE, null, Map.of(), null, null, null, lsn, sourceTsMs);
    }

    /**
     * The source table was truncated at {@code lsn}: the collection loses every document older than that, and keeps
     * the LSN as a watermark no older change may pass.
     */
    public static EnrichedChange truncate(String collection, long lsn, long sourceTsMs) {
        return new EnrichedChange(collection, "", Kind.TRUNCATE, null, Map.of(), null, null, null, lsn, sourceTsMs);
    }

    public boolean isDelete() {
        return kind == Kind.DELETE;
    }

    public boolean isTruncate() {
        return kind == Kind.TRUNCATE;
    }

    /** Key of this document across collections: one partition, one order. */
    public String documentKey() {
        return collection + "/" + id;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnrichedChange other
                && collection.equals(other.collection) && id.equals(other.id) && kind == other.kind
                && Objects.equals(content, other.content) && metadata.equals(other.metadata)
                && Arrays.equals(embedding, other.embedding) && Objects.equals(model, other.model)
                && Objects.equals(contentHash, other.contentHash) && lsn == other.lsn
                && sourceTsMs == other.sourceTsMs;
    }

    @Override
    public int hashCode() {
        return Objects.hash(collection, id, kind, contentHash, lsn);
    }

    @Override
    public String toString() {
        // Never print the payload or the vector: this lands in logs.
        return "EnrichedChange[" + kind + " " + documentKey() + " lsn=" + lsn + " hash=" + contentHash + "]";
    }
}
