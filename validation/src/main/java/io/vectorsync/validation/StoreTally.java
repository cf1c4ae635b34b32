package io.vectorsync.validation;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What one run found so far in one store of one collection: rows checked, and every differing document id with its
 * kind and source key. Matched is derived: checked rows that are not missing, stale or drifted.
 */
public final class StoreTally {
    private long checked;
    /** Document id to source key (null for an orphan whose id does not split into key values), sorted by id. */
    private final Map<DifferenceKind, TreeMap<String, List<String>>> differences = new EnumMap<>(DifferenceKind.class);

    public StoreTally() {
        for (DifferenceKind kind : DifferenceKind.values()) {
            differences.put(kind, new TreeMap<>());
        }
    }

    /** A source row was compared with the store. */
    public void checked(String id, List<String> key, Optional<DifferenceKind> difference) {
        checked++;
        difference.ifPresent(kind -> differences.get(kind).put(id, key));
    }

    /** The store holds a document no source row stands for. */
    public void orphan(String id, List<String> key) {
        differences.get(DifferenceKind.ORPHANED).put(id, key);
    }

    /**
     * A differing document looked at again: it keeps the difference found now, or none. A row that appeared or
     * vanished from the source meanwhile moves in or out of the checked rows.
     */
    public void recheck(String id, Optional<DifferenceKind> now) {
        Optional<DifferenceKind> before = kindOf(id);
        if (before.isEmpty()) {
            return;
        }
        List<String> key = differences.get(before.get()).remove(id);
        boolean rowBefore = before.get().hasSourceRow();
        boolean rowNow = now.map(DifferenceKind::hasSourceRow).orElse(rowBefore);
        if (rowBefore && !rowNow) {
            checked--;
        } else if (!rowBefore && rowNow) {
            checked++;
        }
        now.ifPresent(kind -> differences.get(kind).put(id, key));
    }

    public Optional<DifferenceKind> kindOf(String id) {
        return differences.entrySet().stream().filter(e -> e.getValue().containsKey(id)).map(Map.Entry::getKey)
                .findFirst();
    }

    /** The source key of a differing document, or null. */
    public List<String> keyOf(String id) {
        return kindOf(id).map(k -> differences.get(k).get(id)).orElse(null);
    }

    public long checked() {
        return checked;
    }

    public long matched() {
        return checked - count(DifferenceKind.MISSING) - count(DifferenceKind.STALE) - count(DifferenceKind.DRIFTED);
    }

    public long count(DifferenceKind kind) {
        return differences.get(kind).size();
    }

    /** The ids of this kind, sorted. */
    public List<String> ids(DifferenceKind kind) {
        return List.copyOf(differences.get(kind).keySet());
    }

    /** Every differing id with its source key (null where unknown), sorted by id. */
    public Map<String, List<String>> differing() {
        Map<String, List<String>> all = new TreeMap<>();
        differences.values().forEach(all::putAll);
        return all;
    }

    public boolean clean() {
        return differences.values().stream().allMatch(Map::isEmpty);
    }

    /** This tally as a checkpoint holds it. */
    public State state() {
        return new State(checked, copy(DifferenceKind.MISSING), copy(DifferenceKind.ORPHANED),
                copy(DifferenceKind.STALE), copy(DifferenceKind.DRIFTED));
    }

    public static StoreTally of(State state) {
        StoreTally tally = new StoreTally();
        tally.checked = state.checked();
        tally.differences.get(DifferenceKind.MISSING).putAll(state.missing());
        tally.differences.get(DifferenceKind.ORPHANED).putAll(state.orphaned());
        tally.differences.get(DifferenceKind.STALE).putAll(state.stale());
        tally.differences.get(DifferenceKind.DRIFTED).putAll(state.drifted());
        return tally;
    }

    private Map<String, List<String>> copy(DifferenceKind kind) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        differences.get(kind).forEach((id, key) -> out.put(id, key == null ? null
                : Collections.unmodifiableList(new ArrayList<>(key))));
        return out;
    }

    /** A tally as written to a checkpoint: each kind maps document id to source key. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record State(long checked, Map<String, List<String>> missing, Map<String, List<String>> orphaned,
                        Map<String, List<String>> stale, Map<String, List<String>> drifted) {

        public State {
            missing = missing == null ? Map.of() : missing;
            orphaned = orphaned == null ? Map.of() : orphaned;
            stale = stale == null ? Map.of() : stale;
            drifted = drifted == null ? Map.of() : drifted;
        }
    }
}
