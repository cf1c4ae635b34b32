package io.vectorsync.streams.topology;

import io.vectorsync.core.model.EnrichedChange;

/** What enrichment made of one change: a document change, or a dead letter (raw value; reason in headers). */
public record Outcome(EnrichedChange change, String deadLetterValue) {

    public static Outcome enriched(EnrichedChange change) {
        return new Outcome(change, null);
    }

    public static Outcome deadLetter(String rawValue) {
        return new Outcome(null, rawValue);
    }

    public boolean isDeadLetter() {
        return change == null;
    }
}
