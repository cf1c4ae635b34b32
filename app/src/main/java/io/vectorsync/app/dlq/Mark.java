package io.vectorsync.app.dlq;

import io.vectorsync.core.json.Json;

/**
 * What was done to a dead letter, kept on the compacted marks topic under the dead letter's coordinates: Kafka cannot
 * delete a record from the middle of a topic, so {@code list} and {@code replay} read these marks and honour them.
 *
 * @param state {@link #PURGED} (hidden from list and replay from then on) or {@link #REPLAYED}
 */
public record Mark(String state, long atMs, String by, String how) {
    public static final String PURGED = "purged";
    public static final String REPLAYED = "replayed";

    public boolean purged() {
        return PURGED.equals(state);
    }

    String toJson() {
        return Json.write(this);
    }

    static Mark parse(String json) {
        return Json.read(json, Mark.class);
    }
}
