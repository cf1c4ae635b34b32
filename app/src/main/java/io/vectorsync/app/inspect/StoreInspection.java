package io.vectorsync.app.inspect;

import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.MetadataJson;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.sink.api.SinkUnavailableException;
import io.vectorsync.sink.api.StoredDocument;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Shows one collection as every store holds it: the document count per store, then each asked-for document side by
 * side, and whether the stores agree on it (same content hash and LSN, vectors within 1e-6).
 */
public final class StoreInspection {
    private static final int CONTENT_WIDTH = 60;
    private static final double TOLERANCE = 1e-6;

    private final CollectionMapping collection;
    private final List<SinkReader> readers;
    private final PrintStream out;

    public StoreInspection(CollectionMapping collection, List<SinkReader> readers, PrintStream out) {
        this.collection = collection;
        this.readers = List.copyOf(readers);
        this.out = out;
    }

    /** @return true when every store could be read and, for each id, all stores agree */
    public boolean print(List<String> ids) {
        boolean ok = true;
        out.println("collection " + collection.name() + " (source table " + collection.table() + ")");
        for (SinkReader reader : readers) {
            try {
                out.printf("  %-9s %d documents%n", reader.name(), reader.count(collection.name()));
            } catch (SinkUnavailableException e) {
                out.printf("  %-9s cannot be read: %s%n", reader.name(), e.getMessage());
                ok = false;
            }
        }
        for (String id : ids) {
            ok &= document(id);
        }
        return ok;
    }

    private boolean document(String id) {
        out.println();
        out.println("document " + id);
        out.printf("  %-9s %-12s %-10s %-5s %s%n", "store", "lsn", "hash", "dims", "content");
        List<StoredDocument> found = new ArrayList<>();
        boolean readable = true;
        for (SinkReader reader : readers) {
            try {
                Optional<StoredDocument> doc = reader.find(collection.name(), id);
                if (doc.isEmpty()) {
                    out.printf("  %-9s (not there)%n", reader.name());
                    continue;
                }
                StoredDocument d = doc.get();
                found.add(d);
                out.printf("  %-9s %-12d %-10s %-5s %s%n", reader.name(), d.sourceLsn(), prefix(d.contentHash(), 8),
                        d.embedding() == null ? "-" : Integer.toString(d.embedding().length),
                        prefix(oneLine(d.content()), CONTENT_WIDTH));
                printRelations(reader, id);
            } catch (SinkUnavailableException e) {
                out.printf("  %-9s cannot be read: %s%n", reader.name(), e.getMessage());
                readable = false;
            }
        }
        if (!found.isEmpty()) {
            out.println("  metadata  " + MetadataJson.write(found.get(0).metadata()));
        }
        String verdict = verdict(found);
        out.println("  " + verdict);
        return readable && verdict.startsWith("agree");
    }

    private void printRelations(SinkReader reader, String id) throws SinkUnavailableException {
        // Only a graph store draws the mapping's relations.
        if (collection.relations().isEmpty()) {
            return;
        }
        Map<String, List<String>> edges = reader.relationships(collection.name(), id);
        edges.forEach((type, targets) -> out.printf("  %-9s   -[:%s]-> %s%n", "", type, String.join(", ", targets)));
    }

    private String verdict(List<StoredDocument> found) {
        if (found.isEmpty()) {
            return "agree: no store holds it";
        }
        if (found.size() != readers.size()) {
            return "DIFFER: only " + found.size() + " of " + readers.size() + " stores hold it";
        }
        StoredDocument first = found.get(0);
        for (StoredDocument d : found.subList(1, found.size())) {
            if (!first.contentHash().equals(d.contentHash()) || first.sourceLsn() != d.sourceLsn()) {
                return "DIFFER: content hash or LSN";
            }
            if (!vectorsMatch(first.embedding(), d.embedding())) {
                return "DIFFER: vectors";
            }
        }
        return "agree: same content hash and LSN in all " + found.size() + " stores, vectors within " + TOLERANCE;
    }

    static boolean vectorsMatch(float[] a, float[] b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (Math.abs(a[i] - b[i]) > TOLERANCE) {
                return false;
            }
        }
        return true;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ");
    }

    private static String prefix(String s, int n) {
        if (s == null) {
            return "-";
        }
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }

    /** The stores a collection is written to, in a stable order. */
    public static List<SinkName> stores(CollectionMapping collection) {
        return collection.sinks().stream().sorted().toList();
    }
}
