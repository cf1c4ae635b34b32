package io.vectorsync.drill;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What the drill can do to the running service; {@link #id()} is the spelling of {@code --without}. */
public enum FaultKind {
    /** kill -9 of one process, restarted after a random pause. */
    KILL("kill"),
    /** A graceful stop (SIGTERM) of one process, restarted after a random pause. */
    STOP("stop"),
    /** The Kafka broker stopped and started again. */
    BROKER_RESTART("broker-restart"),
    /** The source PostgreSQL stopped and started again (the pgvector database lives on the same server). */
    SOURCE_RESTART("source-restart"),
    /** One store's connections dropped and new ones refused for the outage. */
    STORE_CUT("store-cut"),
    /** One store accepting connections and answering nothing for the outage. */
    STORE_HANG("store-hang"),
    /** A third sink process joins while one store is cut, and leaves gracefully when the store is back. */
    SINK_JOIN("sink-join"),
    /** A row whose text is 2 MB. */
    ROW_2MB("row-2mb"),
    /** A row whose text is 20 MB. */
    ROW_20MB("row-20mb"),
    /** A row whose text is longer than Milvus's text field allows (the other stores take it). */
    INVALID_TEXT("invalid-text"),
    /** A record that is not a change event, written straight onto a CDC topic. */
    POISON_CDC("poison-cdc"),
    /** A record that is not an enriched change, written straight onto a sink topic. */
    POISON_SINK("poison-sink");

    private final String id;

    FaultKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** @throws IllegalArgumentException naming every valid id when {@code id} is none of them */
    public static FaultKind of(String id) {
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(k -> k.id.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("fault kind '" + id + "' is not one of "
                        + Arrays.stream(values()).map(FaultKind::id).collect(Collectors.joining(", "))));
    }
}
