package io.vectorsync.core.config;

import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode.StoreRole;

import java.util.Objects;

/** The two stores a collection migrates between, {@code collections.<name>.legacy} and {@code .target}. */
public record Migration(SinkName legacy, SinkName target) {

    public Migration {
        Objects.requireNonNull(legacy, "legacy");
        Objects.requireNonNull(target, "target");
        if (legacy == target) {
            throw new IllegalArgumentException("legacy and target must be different stores, both are " + legacy);
        }
    }

    public SinkName store(StoreRole role) {
        return role == StoreRole.LEGACY ? legacy : target;
    }
}
