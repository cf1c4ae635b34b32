package io.vectorsync.streams.topology;

import io.vectorsync.core.model.StreamPosition;

import java.util.Map;

/**
 * What the topology remembers per document: the mapped columns last seen (to fill unchanged TOAST values), the
 * hash, model and vector of its text (to skip the model when the text did not change), and the LSN of the change
 * it came from and its stream position (null in state written before positions were kept), so a replayed
 * older change can never roll this memory back. A delete leaves a tombstone ({@code columns == null}) holding the
 * delete's LSN.
 */
public record DocumentState(Map<String, Object> columns, String contentHash, String model, float[] embedding,
                            long lsn, StreamPosition position) {

    static DocumentState tombstone(long lsn, StreamPosition position) {
        return new DocumentState(null, null, null, null, lsn, position);
    }

    boolean isDeleted() {
        return columns == null;
    }
}
