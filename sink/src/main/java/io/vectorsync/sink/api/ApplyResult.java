package io.vectorsync.sink.api;

import io.vectorsync.core.model.EnrichedChange;

import java.util.List;

/**
 * What a sink did with a batch.
 *
 * @param applied  changes written (upserts and deletes)
 * @param skipped  changes ignored because the store already held a newer or equal LSN for the document
 * @param rejected changes that can never be applied, each with the reason
 */
public record ApplyResult(int applied, int skipped, List<Rejected> rejected) {

    public ApplyResult {
        rejected = List.copyOf(rejected);
    }

    public record Rejected(EnrichedChange change, String reason) {
    }
}
