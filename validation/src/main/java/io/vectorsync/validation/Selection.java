package io.vectorsync.validation;

import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.model.SinkName;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which collections, and which of their stores, a run validates: {@code --collection} names (default: all) and
 * {@code --store} names (default: every store of each collection).
 */
public final class Selection {
    private Selection() {
    }

    /** A collection and the stores of it to compare, in store order. */
    public record Target(CollectionMapping mapping, List<SinkName> stores) {
        public Target {
            stores = List.copyOf(stores);
        }
    }

    /**
     * @throws BadSelectionException naming every unknown collection or store and listing the configured ones
     */
    public static List<Target> resolve(List<CollectionMapping> configured, List<String> collections,
                                       List<String> stores) {
        List<String> problems = new ArrayList<>();
        List<String> names = configured.stream().map(CollectionMapping::name).toList();
        for (String c : collections) {
            if (!names.contains(c)) {
                problems.add("--collection '" + c + "' is not configured; configured collections: " + names);
            }
        }
        Set<SinkName> wanted = EnumSet.noneOf(SinkName.class);
        for (String s : stores) {
            try {
                wanted.add(SinkName.fromId(s));
            } catch (IllegalArgumentException e) {
                problems.add("--store '" + s + "' is not a store; stores: " + SinkName.ids());
            }
        }
        List<Target> targets = new ArrayList<>();
        for (CollectionMapping m : configured) {
            if (!collections.isEmpty() && !collections.contains(m.name())) {
                continue;
            }
            List<SinkName> chosen = EnumSet.copyOf(m.sinks()).stream()
                    .filter(s -> wanted.isEmpty() || wanted.contains(s)).toList();
            if (!chosen.isEmpty()) {
                targets.add(new Target(m, chosen));
            } else if (collections.contains(m.name())) {
                problems.add("collection '" + m.name() + "' is not written to " + stores + "; its stores: "
                        + EnumSet.copyOf(m.sinks()));
            }
        }
        if (problems.isEmpty() && targets.isEmpty()) {
            problems.add("no configured collection is written to " + stores + "; configured collections: " + names);
        }
        if (!problems.isEmpty()) {
            throw new BadSelectionException(String.join("\n", problems));
        }
        return targets;
    }
}
