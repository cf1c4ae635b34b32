package io.vectorsync.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The stores vectorsync writes to; each spelled the same in code, config keys, metric tags and topic names. */
public enum SinkName {
    PGVECTOR("pgvector"),
    NEO4J("neo4j"),
    MILVUS("milvus");

    private final String id;

    SinkName(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    /** @throws IllegalArgumentException for an unknown store, never a silent default */
    @JsonCreator
    public static SinkName fromId(String id) {
        for (SinkName s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown sink '" + id + "', expected one of " + ids());
    }

    public static String ids() {
        return Arrays.stream(values()).map(SinkName::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }
}
