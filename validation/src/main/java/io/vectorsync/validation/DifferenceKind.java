package io.vectorsync.validation;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** How a store can differ from the source for one document. */
public enum DifferenceKind {
    /** The source has the row, the store lacks the document. */
    MISSING,
    /** The store has a document no source row stands for. */
    ORPHANED,
    /** The stored content hash is not the hash of the source row's text, or the stored metadata not the row's. */
    STALE,
    /** The stored vector is further than the drift limit from a fresh embedding of the source text, or absent. */
    DRIFTED;

    /** Whether a source row exists for a difference of this kind (all but orphans). */
    public boolean hasSourceRow() {
        return this != ORPHANED;
    }

    /** The spelling in reports and checkpoints. */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
