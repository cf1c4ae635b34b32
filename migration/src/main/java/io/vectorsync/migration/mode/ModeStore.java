package io.vectorsync.migration.mode;

import io.vectorsync.core.json.Json;
import io.vectorsync.core.mode.ModeStatus;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The controller's state store, typed: each collection's applied {@link ModeStatus} as JSON under its name, and
 * under {@link #POSITION_KEY} the offset of the last control record decided. Keys starting with '@' are not
 * collections (no collection name can contain '@'), as on the status topic.
 */
final class ModeStore {
    /** Written after the statuses a request changed, in the same changelog, so a restored store never has it ahead. */
    static final String POSITION_KEY = "@control-position";

    private final KeyValueStore<String, String> store;

    ModeStore(KeyValueStore<String, String> store) {
        this.store = store;
    }

    Map<String, ModeStatus> statuses() {
        Map<String, ModeStatus> out = new TreeMap<>();
        try (KeyValueIterator<String, String> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, String> kv = it.next();
                if (!kv.key.startsWith("@") && kv.value != null) {
                    out.put(kv.key, Json.read(kv.value, ModeStatus.class));
                }
            }
        }
        return out;
    }

    /** Empty for a reserved '@' key, which a request or a progress record may well name. */
    Optional<ModeStatus> status(String collection) {
        if (collection.startsWith("@")) {
            return Optional.empty();
        }
        String json = store.get(collection);
        return json == null ? Optional.empty() : Optional.of(Json.read(json, ModeStatus.class));
    }

    void put(ModeStatus status) {
        store.put(status.collection(), Json.write(status));
    }

    long newestEpoch() {
        return statuses().values().stream().mapToLong(ModeStatus::epoch).max().orElse(0);
    }

    /**
     * The offset of the last record decided from a control topic, or -1 before any. The shared control topic keeps
     * the key it always had; each operator's control topic has its own.
     */
    long decidedThrough(String controlTopic, boolean shared) {
        String json = store.get(positionKey(controlTopic, shared));
        return json == null ? -1 : Long.parseLong(json);
    }

    void decided(String controlTopic, boolean shared, long offset) {
        store.put(positionKey(controlTopic, shared), Long.toString(offset));
    }

    private static String positionKey(String controlTopic, boolean shared) {
        return shared ? POSITION_KEY : POSITION_KEY + "/" + controlTopic;
    }
}
