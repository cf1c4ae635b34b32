package io.vectorsync.streams.topology;

import io.vectorsync.core.model.ChangeEvent;

/**
 * A parsed change waiting for its embedding batch, with where it came from so a late failure can still be
 * dead-lettered with its origin.
 */
public record PendingChange(String rawKey, String rawValue, String topic, int partition, long offset,
                            ChangeEvent event) {
}
