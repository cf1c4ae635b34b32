package io.vectorsync.streams.topology;

import io.micrometer.core.instrument.Counter;
import io.vectorsync.core.config.TombstoneConfig;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The delete markers of a stream task's document state ({@link DocumentState#isDeleted()}), and their purge once
 * older than {@code tombstone.retention.ms}, the rule every store follows. The document store holds vectors and
 * columns, too heavy to scan every pass, so a second store, {@link EnrichmentTopology#TOMBSTONES_STORE}, indexes the
 * markers alone: document key to the delete's source commit time. A collection's truncate watermark is not a
 * document and is never indexed, so never purged.
 *
 * <p>Both stores are changelogged: a purge deletes the keys, which writes a null for each to the changelog topics;
 * compaction then drops the keys (after the topics' {@code delete.retention.ms}), so a restore does not bring them
 * back and the changelogs shrink too.
 */
final class StateTombstones {
    /** At most this many markers forgotten per batch size and pass, like a sink's 100 statements per pass. */
    static final int STATEMENTS_PER_PASS = 100;
    /** In the index store: set once the markers written before the index existed were indexed. */
    static final String INDEXED_MARK = "@indexed";
    private static final Logger LOG = LoggerFactory.getLogger(StateTombstones.class);

    private final TombstoneConfig config;
    private final KeyValueStore<String, DocumentState> documents;
    private final KeyValueStore<String, Long> index;
    private final Counter purged;

    StateTombstones(TombstoneConfig config, KeyValueStore<String, DocumentState> documents,
                    KeyValueStore<String, Long> index, Counter purged) {
        this.config = config;
        this.documents = documents;
        this.index = index;
        this.purged = purged;
    }

    /** Keeps the index in step with a document's new state. */
    void stored(String documentKey, DocumentState state, long sourceTsMs) {
        if (state.isDeleted()) {
            index.put(documentKey, sourceTsMs);
        } else {
            index.delete(documentKey);
        }
    }

    /** A document the state no longer holds (a truncate forgot it). */
    void forgotten(String documentKey) {
        index.delete(documentKey);
    }

    /** Forgets markers of deletes committed before {@code now} minus the age; returns how many. */
    int purge(long now) {
        if (index.get(INDEXED_MARK) == null) {
            indexExistingMarkers(now);
        }
        long cutoff = config.cutoff(Instant.ofEpochMilli(now)).toEpochMilli();
        int max = config.purgeBatchSize() * STATEMENTS_PER_PASS;
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = index.all()) {
            while (it.hasNext() && expired.size() < max) {
                KeyValue<String, Long> entry = it.next();
                if (!entry.key.equals(INDEXED_MARK) && entry.value < cutoff) {
                    expired.add(entry.key);
                }
            }
        }
        int forgotten = 0;
        for (String key : expired) {
            DocumentState state = documents.get(key);
            if (state != null && state.isDeleted()) {
                documents.delete(key);
                forgotten++;
            }
            index.delete(key);
        }
        purged.increment(forgotten);
        if (forgotten > 0) {
            LOG.info("streams task forgot {} tombstones of deletes committed before {}", forgotten,
                    Instant.ofEpochMilli(cutoff));
        } else {
            LOG.debug("streams task found no tombstones of deletes committed before {}", Instant.ofEpochMilli(cutoff));
        }
        return forgotten;
    }

    /**
     * Indexes the markers written before this index existed, once per task. Their commit time was not kept, so their
     * age counts from now: the safe side.
     */
    private void indexExistingMarkers(long now) {
        int found = 0;
        try (KeyValueIterator<String, DocumentState> it = documents.all()) {
            while (it.hasNext()) {
                KeyValue<String, DocumentState> entry = it.next();
                if (entry.value.isDeleted() && !entry.key.startsWith("@") && index.get(entry.key) == null) {
                    index.put(entry.key, now);
                    found++;
                }
            }
        }
        index.put(INDEXED_MARK, now);
        LOG.info("streams task indexed {} tombstones kept before tombstones were purged; their age counts from now",
                found);
    }
}
