package io.vectorsync.sink.runner;

import io.vectorsync.core.json.Json;
import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.core.model.StorageMode.Delivery;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** The changes of one poll, each with the record it came from and how routing said its store must take it. */
final class SinkBatch {

    /** @param delivery as routed (header {@code vectorsync.delivery}); {@link ApplyTimeDelivery} has the last word */
    record Entry(EnrichedChange change, ConsumerRecord<String, String> origin, Delivery delivery) {
    }

    private final List<Entry> entries;
    // By identity: two equal changes in one batch still come from two records.
    private final Map<EnrichedChange, Entry> byChange = new IdentityHashMap<>();

    SinkBatch(List<Entry> entries) {
        this.entries = List.copyOf(entries);
        this.entries.forEach(e -> byChange.put(e.change(), e));
    }

    /**
     * Reads the records' changes; tombstones are skipped and records that are not a change are handed to
     * {@code unreadable}.
     */
    static SinkBatch read(Iterable<ConsumerRecord<String, String>> records,
                          BiConsumer<ConsumerRecord<String, String>, IllegalArgumentException> unreadable) {
        List<Entry> entries = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            if (r.value() == null) {
                continue;
            }
            try {
                entries.add(new Entry(Json.read(r.value(), EnrichedChange.class), r, delivery(r)));
            } catch (IllegalArgumentException e) {
                unreadable.accept(r, e);
            }
        }
        return new SinkBatch(entries);
    }

    List<EnrichedChange> changes() {
        return entries.stream().map(Entry::change).toList();
    }

    ConsumerRecord<String, String> origin(EnrichedChange change) {
        return byChange.get(change).origin();
    }

    List<Entry> entries() {
        return entries;
    }

    /** This batch less {@code dropped}, compared by identity. */
    SinkBatch without(List<Entry> dropped) {
        Map<Entry, Boolean> gone = new IdentityHashMap<>();
        dropped.forEach(e -> gone.put(e, true));
        return new SinkBatch(entries.stream().filter(e -> !gone.containsKey(e)).toList());
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    int size() {
        return entries.size();
    }

    private static Delivery delivery(ConsumerRecord<String, String> record) {
        Header h = record.headers().lastHeader(Delivery.HEADER);
        return Delivery.fromHeader(h == null ? null : new String(h.value(), StandardCharsets.UTF_8));
    }
}
