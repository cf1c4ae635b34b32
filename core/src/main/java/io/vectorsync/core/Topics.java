package io.vectorsync.core;

import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.TableId;

/** Kafka topic names, in one place. */
public final class Topics {
    /** Records that could not be processed, with headers saying why. */
    public static final String DLQ = "vectorsync.dlq";

    private static final String CDC_PREFIX = "cdc";

    private Topics() {
    }

    /** Debezium's topic prefix; change events of {@code schema.table} go to {@code cdc.schema.table}. */
    public static String cdcPrefix() {
        return CDC_PREFIX;
    }

    public static String cdc(TableId table) {
        return CDC_PREFIX + "." + table.schema() + "." + table.table();
    }

    public static String sink(SinkName sink) {
        return "vectorsync.sink." + sink.id();
    }
}
