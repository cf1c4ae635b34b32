package io.vectorsync.streams.routing;

import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.core.config.Migration;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.core.model.StorageMode;
import io.vectorsync.core.model.StorageMode.Delivery;
import io.vectorsync.core.model.StorageMode.StoreRole;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Decides which sinks receive a change, and how: embed once, fan out to each. A migrating collection is written
 * as its storage mode says; any other collection goes to every sink of its mapping, which must apply it.
 */
public final class SinkRouter {
    private final Map<String, CollectionMapping> byCollection;
    private final Function<String, Optional<ModeStatus>> modes;

    /** @param modes the latest applied status of a collection, empty when none was ever published */
    public SinkRouter(MappingConfig mappings, Function<String, Optional<ModeStatus>> modes) {
        this.byCollection = mappings.collections().stream()
                .collect(Collectors.toUnmodifiableMap(CollectionMapping::name, Function.identity()));
        this.modes = modes;
    }

    /** The copies of the change to write, legacy before target; empty for a collection no mapping knows. */
    public List<Routed> route(EnrichedChange change) {
        CollectionMapping mapping = byCollection.get(change.collection());
        if (mapping == null) {
            return List.of();
        }
        return mapping.migration()
                .map(migration -> byMode(migration, change))
                .orElseGet(() -> toEverySink(mapping, change));
    }

    private List<Routed> byMode(Migration migration, EnrichedChange change) {
        Optional<ModeStatus> status = modes.apply(change.collection());
        // No status yet means the mode controller has not published one: a migration starts in SOURCE_ONLY.
        StorageMode mode = status.map(ModeStatus::mode).orElse(StorageMode.SOURCE_ONLY);
        long epoch = status.map(ModeStatus::epoch).orElse(0L);
        List<Routed> out = new ArrayList<>(StoreRole.values().length);
        for (StoreRole role : StoreRole.values()) {
            if (mode.writes(role)) {
                Delivery delivery = mode.delivery(role).orElseThrow(() -> new IllegalStateException(
                        "mode " + mode + " writes the " + role.id() + " store but names no delivery for it"));
                out.add(new Routed(migration.store(role), delivery, Optional.of(mode), epoch, change));
            }
        }
        return out;
    }

    private static List<Routed> toEverySink(CollectionMapping mapping, EnrichedChange change) {
        return mapping.sinks().stream().sorted()
                .map(sink -> new Routed(sink, Delivery.REQUIRED, Optional.empty(), 0, change))
                .toList();
    }
}
