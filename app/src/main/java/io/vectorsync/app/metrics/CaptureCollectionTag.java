package io.vectorsync.app.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.config.MappingConfig;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Adds the {@code collection} tag beside {@code table} on {@code vectorsync.capture.records}: the connector counts
 * per source table and does not know the mapping, while every other meter and the dashboard speak of collections.
 * A table several collections read is tagged with their names joined by commas.
 */
public final class CaptureCollectionTag implements MeterFilter {
    static final String METER = "vectorsync.capture.records";
    static final String UNMAPPED = "none";

    private final Map<String, String> collectionsByTable;

    public CaptureCollectionTag(MappingConfig mappings) {
        Map<String, TreeSet<String>> byTable = new TreeMap<>();
        for (CollectionMapping c : mappings.collections()) {
            byTable.computeIfAbsent(c.table().toString(), t -> new TreeSet<>()).add(c.name());
        }
        this.collectionsByTable = byTable.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> String.join(",", e.getValue())));
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        if (!METER.equals(id.getName()) || id.getTag("table") == null || id.getTag("collection") != null) {
            return id;
        }
        return id.withTag(Tag.of("collection", collectionsByTable.getOrDefault(id.getTag("table"), UNMAPPED)));
    }
}
