package io.vectorsync.streams.topology;

import java.util.Map;

/**
 * What the topology remembers per document: the mapped columns last seen (to fill unchanged TOAST values), and
 * the hash, model and vector of its text (to skip the model when the text did not change).
 */
public record DocumentState(Map<String, Object> columns, String contentHash, String model, float[] embedding) {
}
