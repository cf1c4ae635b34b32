package io.vectorsync.migration.gate;

import io.vectorsync.core.kafka.RetentionGap;

import java.util.List;

/** The latest retention gap recorded for each collection and store (resolved or not: see {@link BackfillNeeds}). */
public interface RetentionGaps {

    List<RetentionGap> all();

    /** None recorded: for pipelines and tests without the gaps topic. */
    static RetentionGaps none() {
        return List::of;
    }
}
