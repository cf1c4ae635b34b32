package io.vectorsync.sink.api;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A document as a sink holds it, read back by a {@link SinkReader}: the same shape for every store, so stores can be
 * compared with {@code equals}.
 *
 * @param embedding null when the text was blank
 * @param sourceLsn LSN of the change that wrote it
 */
public record StoredDocument(String id, String content, Map<String, Object> metadata, float[] embedding,
                             String model, String contentHash, long sourceLsn) {

    public StoredDocument {
        Objects.requireNonNull(id, "id");
        metadata = metadata == null ? Map.of() : metadata;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredDocument other
                && id.equals(other.id) && Objects.equals(content, other.content)
                && metadata.equals(other.metadata) && Arrays.equals(embedding, other.embedding)
                && Objects.equals(model, other.model) && Objects.equals(contentHash, other.contentHash)
                && sourceLsn == other.sourceLsn;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, contentHash, sourceLsn);
    }

    @Override
    public String toString() {
        // Never print the payload or the vector: this lands in logs and assertion messages.
        return "StoredDocument[" + id + " lsn=" + sourceLsn + " hash=" + contentHash + " model=" + model
                + " dims=" + (embedding == null ? 0 : embedding.length) + "]";
    }
}
