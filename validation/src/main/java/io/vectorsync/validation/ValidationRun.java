package io.vectorsync.validation;

import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.mapping.DocumentIds;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.sink.api.SinkUnavailableException;
import io.vectorsync.validation.Checkpoint.Phase;
import io.vectorsync.validation.Checkpoint.Scope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Validates one collection in its stores: a keyset scan of the source (or a sample), then for a full scan an orphan
 * pass over each store's ids, then a second look at every difference after the re-check delay. A checkpoint is
 * written after every page; a run that finds one resumes from it, a finished run deletes it. One run per instance.
 */
public final class ValidationRun {
    private static final Logger LOG = LoggerFactory.getLogger(ValidationRun.class);

    private final ValidationContext context;
    private final CollectionMapping mapping;
    private final SourceTable source;
    private final Map<SinkName, SinkReader> readers;
    private final PageComparer comparer;
    private final int pageSize;

    // Where the run stands; saved as a Checkpoint after every page.
    private String runId;
    private Scope scope;
    private Phase phase;
    private List<String> cursor;
    private List<List<String>> sampleKeys;
    private long rowsTotal;
    private long rowsDone;
    private long pages;
    private String orphanStore;
    private String orphanCursor;
    private long startedAtMs;
    private final Map<SinkName, StoreTally> tallies = new EnumMap<>(SinkName.class);

    /** The result of a run: its report when it finished, empty when the page hook stopped it. */
    public record Outcome(Optional<CollectionReport> report, Map<SinkName, StoreTally> tallies) {
    }

    /** @param readers the stores to compare, each with its reader, in report order */
    public ValidationRun(ValidationContext context, CollectionMapping mapping, SourceTable source,
                         Map<SinkName, SinkReader> readers) {
        this.context = context;
        this.mapping = mapping;
        this.source = source;
        this.readers = new LinkedHashMap<>(readers);
        this.comparer = new PageComparer(mapping.name(), this.readers, context.embedder(), context.config().driftMax());
        this.pageSize = context.config().pageSize();
    }

    /**
     * @param sample  rows to sample, 0 for a full scan
     * @param restart discard a checkpoint rather than resume from it
     * @throws CheckpointException when a checkpoint of another scope exists and {@code restart} is false
     */
    public Outcome run(String newRunId, int sample, boolean restart) throws SinkUnavailableException,
            InterruptedException {
        Scope wanted = new Scope(sample == 0, sample, readers.keySet().stream().map(SinkName::id).toList());
        Optional<Checkpoint> saved = restart ? Optional.empty() : context.checkpoints().load(mapping.name());
        if (saved.isPresent()) {
            if (!saved.get().scope().equals(wanted)) {
                throw new CheckpointException("collection '" + mapping.name() + "' has an unfinished "
                        + saved.get().scope().describe() + " (checkpoint " + context.checkpoints().file(mapping.name())
                        + "), not a " + wanted.describe() + ": run that to resume it, or pass --restart to discard it");
            }
            restore(saved.get());
            context.notices().println("resuming " + mapping.name() + " from " + saved.get().position() + " ("
                    + rowsDone + " source rows done, run " + runId + ")");
        } else {
            begin(newRunId, wanted);
        }
        if (phase == Phase.SCAN && !scan()) {
            return new Outcome(Optional.empty(), tallies);
        }
        if (phase == Phase.ORPHANS && !orphans()) {
            return new Outcome(Optional.empty(), tallies);
        }
        Recheck recheck = recheck();
        CollectionReport report = new CollectionReport(mapping.name(), mapping.table().toString(), scope.full(),
                rowsDone, recheck.rechecked(), recheck.resolved(), readers.keySet().stream()
                .map(s -> StoreReport.of(s, tallies.get(s))).toList());
        context.checkpoints().delete(mapping.name());
        LOG.info("validated {}: {} source rows, {}", mapping.name(), rowsDone,
                report.clean() ? "clean" : "differences");
        return new Outcome(Optional.of(report), tallies);
    }

    private void begin(String newRunId, Scope wanted) {
        runId = newRunId;
        scope = wanted;
        phase = Phase.SCAN;
        startedAtMs = context.clock().getAsLong();
        readers.keySet().forEach(s -> tallies.put(s, new StoreTally()));
        if (scope.full()) {
            rowsTotal = source.count();
        } else {
            sampleKeys = source.sampleKeys(scope.sample());
            rowsTotal = sampleKeys.size();
        }
        save();
    }

    private void restore(Checkpoint c) {
        runId = c.runId();
        scope = c.scope();
        phase = c.phase();
        cursor = c.cursor();
        sampleKeys = c.sampleKeys();
        rowsTotal = c.rowsTotal();
        rowsDone = c.rowsDone();
        pages = c.pages();
        orphanStore = c.orphanStore();
        orphanCursor = c.orphanCursor();
        startedAtMs = c.startedAtMs();
        for (SinkName s : readers.keySet()) {
            StoreTally.State state = c.tallies().get(s.id());
            tallies.put(s, state == null ? new StoreTally() : StoreTally.of(state));
        }
    }

    /** @return false when the hook stopped the run */
    private boolean scan() throws SinkUnavailableException {
        ProgressBar progress = context.progress();
        progress.start("validate " + mapping.name(), rowsTotal, "rows", rowsDone);
        while (true) {
            List<SourceRow> rows;
            int advance;
            if (scope.full()) {
                rows = source.page(cursor, pageSize);
                advance = rows.size();
            } else {
                if (rowsDone >= sampleKeys.size()) {
                    break;
                }
                List<List<String>> slice = sampleKeys.subList((int) rowsDone,
                        (int) Math.min(sampleKeys.size(), rowsDone + pageSize));
                rows = new ArrayList<>(source.rows(slice).values());
                advance = slice.size();
            }
            if (advance == 0) {
                break;
            }
            compare(rows);
            if (scope.full()) {
                cursor = rows.get(rows.size() - 1).key();
            }
            rowsDone += advance;
            pages++;
            save();
            progress.update(rowsDone);
            LOG.debug("validated page {} of {}: {} rows", pages, mapping.name(), advance);
            boolean last = scope.full() ? advance < pageSize : rowsDone >= sampleKeys.size();
            if (last) {
                break;
            }
            if (!context.hook().proceed(mapping.name(), pages)) {
                progress.finish();
                return false;
            }
        }
        progress.finish();
        phase = scope.full() ? Phase.ORPHANS : Phase.RECHECK;
        orphanStore = scope.full() ? scope.stores().get(0) : null;
        orphanCursor = null;
        save();
        return true;
    }

    private void compare(List<SourceRow> rows) throws SinkUnavailableException {
        Map<String, SourceRow> byId = new LinkedHashMap<>();
        rows.forEach(r -> byId.put(r.id(), r));
        Map<SinkName, List<String>> ids = new EnumMap<>(SinkName.class);
        readers.keySet().forEach(s -> ids.put(s, new ArrayList<>(byId.keySet())));
        Map<SinkName, Map<String, Optional<DifferenceKind>>> kinds = comparer.compare(byId, ids);
        kinds.forEach((store, byDoc) -> byDoc.forEach((id, kind) ->
                tallies.get(store).checked(id, byId.get(id).key(), kind)));
    }

    /** Pages through each store's ids looking for documents without a source row. */
    private boolean orphans() throws SinkUnavailableException {
        List<String> stores = scope.stores();
        for (int i = stores.indexOf(orphanStore); i >= 0 && i < stores.size(); i++) {
            SinkName store = SinkName.fromId(stores.get(i));
            SinkReader reader = readers.get(store);
            ProgressBar progress = context.progress();
            progress.start("orphans " + mapping.name() + " in " + store.id(), reader.count(mapping.name()), "ids");
            long seen = 0;
            while (true) {
                List<String> ids = reader.ids(mapping.name(), orphanCursor, pageSize);
                if (ids.isEmpty()) {
                    break;
                }
                Set<String> existing = source.existing(ids);
                for (String id : ids) {
                    if (!existing.contains(id)) {
                        tallies.get(store).orphan(id, keyOf(id));
                    }
                }
                orphanCursor = ids.get(ids.size() - 1);
                seen += ids.size();
                pages++;
                save();
                progress.update(seen);
                if (ids.size() < pageSize) {
                    break;
                }
                if (!context.hook().proceed(mapping.name(), pages)) {
                    progress.finish();
                    return false;
                }
            }
            progress.finish();
            orphanStore = i + 1 < stores.size() ? stores.get(i + 1) : null;
            orphanCursor = null;
            save();
        }
        phase = Phase.RECHECK;
        save();
        return true;
    }

    /** Documents re-checked, and how many of them matched on the second look. */
    private record Recheck(long rechecked, long resolved) {
    }

    /** Reads every differing document again after the re-check delay and keeps only the differences that persist. */
    private Recheck recheck() throws SinkUnavailableException, InterruptedException {
        Map<String, List<String>> differing = new TreeMap<>();
        tallies.values().forEach(t -> t.differing().forEach((id, key) -> {
            if (key != null || !differing.containsKey(id)) {
                differing.put(id, key);
            }
        }));
        if (differing.isEmpty()) {
            return new Recheck(0, 0);
        }
        context.notices().println("re-checking " + differing.size() + " differing documents of " + mapping.name()
                + " in " + context.config().recheckDelay().toMillis() + " ms (changes may still be on their way)");
        context.sleeper().sleep(context.config().recheckDelay());
        ProgressBar progress = context.progress();
        progress.start("re-check " + mapping.name(), differing.size(), "ids");
        List<String> all = new ArrayList<>(differing.keySet());
        for (int from = 0; from < all.size(); from += pageSize) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + pageSize));
            List<List<String>> keys = chunk.stream().map(differing::get).filter(Objects::nonNull).toList();
            Map<String, SourceRow> rows = source.rows(keys);
            Map<SinkName, List<String>> ids = new EnumMap<>(SinkName.class);
            tallies.forEach((store, tally) -> ids.put(store,
                    chunk.stream().filter(id -> tally.kindOf(id).isPresent()).toList()));
            comparer.compare(rows, ids).forEach((store, byDoc) -> byDoc.forEach((id, kind) ->
                    tallies.get(store).recheck(id, kind)));
            progress.update(from + chunk.size());
        }
        progress.finish();
        Set<String> still = new LinkedHashSet<>();
        tallies.values().forEach(t -> still.addAll(t.differing().keySet()));
        long resolved = all.stream().filter(id -> !still.contains(id)).count();
        return new Recheck(all.size(), resolved);
    }

    private List<String> keyOf(String id) {
        try {
            return DocumentIds.parse(mapping, id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void save() {
        Map<String, StoreTally.State> states = new LinkedHashMap<>();
        tallies.forEach((s, t) -> states.put(s.id(), t.state()));
        context.checkpoints().save(new Checkpoint(runId, mapping.name(), scope, phase, cursor, sampleKeys, rowsTotal,
                rowsDone, pages, orphanStore, orphanCursor, states, startedAtMs));
    }
}
