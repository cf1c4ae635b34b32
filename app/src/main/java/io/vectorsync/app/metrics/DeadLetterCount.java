package io.vectorsync.app.metrics;

/** Counts the records on the pipeline's dead-letter topic. Never throws: an unknown count says why. */
@FunctionalInterface
public interface DeadLetterCount {

    DeadLetters count();
}
