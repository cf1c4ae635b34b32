package io.vectorsync.streams.routing;

import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.core.model.SinkName;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Decides which sinks receive a change: embed once, fan out to each. */
public final class SinkRouter {
    private final Map<String, CollectionMapping> byCollection;

    public SinkRouter(MappingConfig mappings) {
        this.byCollection = mappings.collections().stream()
                .collect(Collectors.toUnmodifiableMap(CollectionMapping::name, Function.identity()));
    }

    public List<Routed> route(EnrichedChange change) {
        CollectionMapping mapping = byCollection.get(change.collection());
        if (mapping == null) {
            return List.of();
        }
        return mapping.sinks().stream().sorted().map((SinkName s) -> new Routed(s, change)).toList();
    }
}
