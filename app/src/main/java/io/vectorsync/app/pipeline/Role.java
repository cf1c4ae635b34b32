package io.vectorsync.app.pipeline;

/** The parts of the pipeline; one process runs any of them, so they scale apart. */
public enum Role {
    CONNECTOR, STREAMS, SINK
}
