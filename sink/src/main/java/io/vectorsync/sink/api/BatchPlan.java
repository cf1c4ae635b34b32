package io.vectorsync.sink.api;

import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.ApplyResult.Rejected;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a batch comes down to before any I/O: changes that can never be applied are rejected, and the rest reduced to
 * the last change of each document, since only that one decides the document's final state. Shared by every sink so
 * that all of them reject the same changes with the same words: whatever one store cannot hold (a NUL character, a
 * NaN in a vector, an id too long for a key) no store takes, so the stores never disagree.
 *
 * <p>A truncate of a collection ({@link EnrichedChange.Kind#TRUNCATE}) is kept apart: a sink applies it before the
 * writes (it removes every document older than it and records its LSN as the collection's truncate watermark), and
 * the writes of the batch older than it are dropped here as superseded, since the watermark would refuse them anyway.
 * Applying truncates first is the same as applying the batch in order: a write newer than the truncate survives it,
 * an older one does not, whichever comes first.
 *
 * @param writes     at most one change per document, in first-seen order, with its metadata as JSON text
 * @param truncates  at most one truncate per collection, the newest of the batch
 * @param rejected   changes that can never be applied, with the reason
 * @param superseded changes dropped because a later change of the same document, or a later truncate of its
 *                   collection, is in the batch
 */
public record BatchPlan(List<Write> writes, List<EnrichedChange> truncates, List<Rejected> rejected,
                        int superseded) {
    /** Longest document id any sink takes: keys beyond it break indexes (pgvector's btree, Milvus's VARCHAR key). */
    public static final int MAX_ID_LENGTH = 512;

    /**
     * The id under which a store keeps a collection's truncate watermark among its tombstones: longer than
     * {@link #MAX_ID_LENGTH}, so no document can have it, and short enough for every store's key (Milvus takes 1,536
     * bytes). Its tombstone LSN guards every document of the collection as a document's own tombstone guards it.
     */
    public static final String TRUNCATE_WATERMARK_ID = "vectorsync:truncated:" + "#".repeat(MAX_ID_LENGTH);

    /** One change to write; {@code metadataJson} is null for deletes. */
    public record Write(EnrichedChange change, String metadataJson) {
    }

    public BatchPlan {
        writes = List.copyOf(writes);
        truncates = List.copyOf(truncates);
        rejected = List.copyOf(rejected);
    }

    public static BatchPlan of(SinkName sink, List<EnrichedChange> batch, Set<String> preparedCollections,
                               int dimension) {
        List<Rejected> rejected = new ArrayList<>();
        Map<String, Write> latest = new LinkedHashMap<>();
        Map<String, EnrichedChange> truncates = new LinkedHashMap<>();
        int accepted = 0;
        int truncatesSeen = 0;
        for (EnrichedChange change : batch) {
            String metadataJson = null;
            String reason = rejection(sink, change, preparedCollections, dimension);
            if (reason == null && !change.isDelete() && !change.isTruncate()) {
                try {
                    metadataJson = MetadataJson.write(change.metadata());
                    if (holdsNul(change.metadata())) {
                        reason = "change " + change.documentKey() + " holds a NUL character in its metadata, which"
                                + " PostgreSQL cannot store";
                    }
                } catch (UncheckedIOException e) {
                    reason = "metadata of change " + change.documentKey() + " cannot be written as JSON";
                }
            }
            if (reason != null) {
                rejected.add(new Rejected(change, reason));
                continue;
            }
            if (change.isTruncate()) {
                truncatesSeen++;
                truncates.merge(change.collection(), change, (kept, next) -> next.lsn() >= kept.lsn() ? next : kept);
                continue;
            }
            accepted++;
            Write write = new Write(change, metadataJson);
            // On equal LSN the later change in the batch wins: it was produced later.
            latest.merge(change.documentKey(), write,
                    (kept, next) -> next.change().lsn() >= kept.change().lsn() ? next : kept);
        }
        List<Write> writes = new ArrayList<>(latest.size());
        for (Write w : latest.values()) {
            EnrichedChange truncate = truncates.get(w.change().collection());
            if (truncate == null || w.change().lsn() >= truncate.lsn()) {
                writes.add(w);
            }
        }
        int superseded = accepted - writes.size() + truncatesSeen - truncates.size();
        return new BatchPlan(writes, new ArrayList<>(truncates.values()), rejected, superseded);
    }

    private static String rejection(SinkName sink, EnrichedChange change, Set<String> preparedCollections,
                                    int dimension) {
        if (!preparedCollections.contains(change.collection())) {
            return "collection '" + change.collection() + "' was not prepared in the " + sink + " sink";
        }
        if (change.isTruncate()) {
            return null;
        }
        if (change.id().length() > MAX_ID_LENGTH) {
            return "change " + change.collection() + "/" + change.id().substring(0, 40) + "… has an id of "
                    + change.id().length() + " characters; at most " + MAX_ID_LENGTH + " are allowed";
        }
        if (change.isDelete()) {
            return null;
        }
        float[] embedding = change.embedding();
        if (embedding != null && embedding.length != dimension) {
            return "collection '" + change.collection() + "' expects " + dimension
                    + "-dimensional vectors but change " + change.documentKey() + " carries " + embedding.length;
        }
        if (embedding != null && !isFinite(embedding)) {
            return "change " + change.documentKey() + " carries a vector holding NaN or infinity, which no vector"
                    + " index can take";
        }
        if (change.content().indexOf('\0') >= 0) {
            return "change " + change.documentKey() + " holds a NUL character in its text, which PostgreSQL"
                    + " cannot store";
        }
        return null;
    }

    /** Looks at the values, not their JSON text, where an escaped backslash followed by "u0000" looks alike. */
    private static boolean holdsNul(Object value) {
        if (value instanceof String text) {
            return text.indexOf('\0') >= 0;
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().anyMatch(e -> holdsNul(e.getKey()) || holdsNul(e.getValue()));
        }
        if (value instanceof Collection<?> list) {
            return list.stream().anyMatch(BatchPlan::holdsNul);
        }
        return false;
    }

    private static boolean isFinite(float[] vector) {
        for (float f : vector) {
            if (!Float.isFinite(f)) {
                return false;
            }
        }
        return true;
    }
}
