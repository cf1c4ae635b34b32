package io.vectorsync.validation;

import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.sink.api.SinkUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Re-drives a collection's differing documents through the pipeline — rows the source holds are read again, orphans
 * get a delete — then waits until each matches the source in every store compared, or the timeout passes.
 */
public final class Repairer {
    private static final Logger LOG = LoggerFactory.getLogger(Repairer.class);

    private final ValidationContext context;
    private final Redrive redrive;
    private final Duration pollInterval;

    public Repairer(ValidationContext context, Redrive redrive, Duration pollInterval) {
        this.context = context;
        this.redrive = redrive;
        this.pollInterval = pollInterval;
    }

    /**
     * @param readers the stores the validation compared
     * @param tallies what the validation found in each of them
     */
    public RepairOutcome repair(CollectionMapping mapping, SourceTable source, Map<SinkName, SinkReader> readers,
                                Map<SinkName, StoreTally> tallies, Duration timeout)
            throws SinkUnavailableException, InterruptedException {
        Map<String, List<String>> differing = new TreeMap<>();
        Set<String> withRow = new TreeSet<>();
        tallies.values().forEach(t -> t.differing().forEach((id, key) -> {
            if (key != null || !differing.containsKey(id)) {
                differing.put(id, key);
            }
            if (t.kindOf(id).map(DifferenceKind::hasSourceRow).orElse(false)) {
                withRow.add(id);
            }
        }));
        if (differing.isEmpty()) {
            return new RepairOutcome(mapping.name(), 0, 0, List.of());
        }
        List<List<String>> reread = new ArrayList<>();
        List<List<String>> delete = new ArrayList<>();
        differing.forEach((id, key) -> {
            if (key == null) {
                // An orphan whose id does not split into the id columns: no key to send a delete for.
                context.notices().println("cannot re-drive " + mapping.name() + " document '" + id + "': its id is"
                        + " not one of id columns " + mapping.idColumns());
            } else if (withRow.contains(id)) {
                reread.add(key);
            } else {
                delete.add(key);
            }
        });
        context.notices().println("repairing " + mapping.name() + ": re-reading " + reread.size()
                + " source rows, deleting " + delete.size() + " orphans");
        if (!reread.isEmpty()) {
            redrive.reread(mapping, reread);
        }
        if (!delete.isEmpty()) {
            redrive.deleteAbsent(mapping, delete);
        }
        Set<String> pending = await(mapping, source, readers, differing, timeout);
        long repaired = differing.size() - pending.size();
        LOG.info("repair of {}: {} of {} documents match the source", mapping.name(), repaired, differing.size());
        return new RepairOutcome(mapping.name(), differing.size(), repaired, List.copyOf(pending));
    }

    /** Polls until every document matches in every store, or the timeout passed; returns those that still differ. */
    private Set<String> await(CollectionMapping mapping, SourceTable source, Map<SinkName, SinkReader> readers,
                              Map<String, List<String>> differing, Duration timeout)
            throws SinkUnavailableException, InterruptedException {
        PageComparer comparer = new PageComparer(mapping.name(), readers, context.embedder(),
                context.config().driftMax());
        long deadline = context.clock().getAsLong() + timeout.toMillis();
        ProgressBar progress = context.progress();
        progress.start("repair " + mapping.name(), differing.size(), "documents");
        Set<String> pending = new TreeSet<>(differing.keySet());
        while (true) {
            Set<String> still = new TreeSet<>();
            List<String> all = new ArrayList<>(pending);
            int pageSize = context.config().pageSize();
            for (int from = 0; from < all.size(); from += pageSize) {
                List<String> chunk = all.subList(from, Math.min(all.size(), from + pageSize));
                Map<String, SourceRow> rows = source.rows(chunk.stream().map(differing::get)
                        .filter(Objects::nonNull).toList());
                Map<SinkName, List<String>> ids = new EnumMap<>(SinkName.class);
                readers.keySet().forEach(s -> ids.put(s, chunk));
                comparer.compare(rows, ids).values().forEach(byDoc -> byDoc.forEach((id, kind) -> {
                    if (kind.isPresent()) {
                        still.add(id);
                    }
                }));
            }
            pending = still;
            progress.update(differing.size() - pending.size());
            if (pending.isEmpty() || context.clock().getAsLong() >= deadline) {
                progress.finish();
                return pending;
            }
            context.sleeper().sleep(pollInterval);
        }
    }
}
