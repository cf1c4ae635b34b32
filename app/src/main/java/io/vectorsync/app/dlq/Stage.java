package io.vectorsync.app.dlq;

/**
 * Where in the pipeline a record was dead-lettered, read from its source topic: the connector (a CDC topic, no
 * partition: never published), the streams worker (a CDC topic it read) or a store's sink (its sink topic).
 */
public enum Stage {
    CONNECTOR("connector"),
    STREAMS("streams"),
    SINK("sink"),
    UNKNOWN("unknown");

    private final String id;

    Stage(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
