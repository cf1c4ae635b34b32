package io.vectorsync.store.milvus;

import io.vectorsync.sink.api.BatchPlan.Write;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The LSN guard of the Milvus sink, which Milvus cannot run itself (no transactions, no conditional writes): given
 * the LSNs stored for a batch's documents and tombstones, which changes to write. The rules are the pgvector sink's,
 * so both count the same changes as applied and skipped:
 * <ul>
 *   <li>an upsert is skipped when a tombstone is newer; written when no row is stored or the stored row is older;
 *       with the stored row's LSN it is written only when it differs (a re-embedding), see {@link #equalLsn()};</li>
 *   <li>a delete is skipped when the stored row is newer; otherwise it removes the row and records its LSN in a
 *       tombstone, keeping the greater LSN; a delete of a document never stored counts as applied, since it writes a
 *       tombstone, and a replayed delete as skipped.</li>
 * </ul>
 * Pure: no client.
 *
 * @param upserts    upserts to write
 * @param equalLsn   upserts with the stored row's LSN: written only when they differ from the stored row
 * @param deletes    deletes that take effect
 * @param rowDeletes ids among {@code deletes} whose row is stored, to delete from the collection
 * @param tombstones deletes whose LSN goes into the tombstone collection
 * @param skipped    changes that change nothing
 */
record MilvusLsnGuard(List<Write> upserts, List<Write> equalLsn, List<Write> deletes, List<String> rowDeletes,
                      List<Write> tombstones, int skipped) {

    MilvusLsnGuard {
        upserts = List.copyOf(upserts);
        equalLsn = List.copyOf(equalLsn);
        deletes = List.copyOf(deletes);
        rowDeletes = List.copyOf(rowDeletes);
        tombstones = List.copyOf(tombstones);
    }

    /**
     * @param writes     at most one change per document (a {@code BatchPlan}'s writes for one collection)
     * @param rows       stored LSN by id, for the ids that have a row
     * @param tombstones tombstone LSN by id, for the ids that have one
     */
    static MilvusLsnGuard decide(List<Write> writes, Map<String, Long> rows, Map<String, Long> tombstones) {
        return decide(writes, rows, tombstones, -1);
    }

    /**
     * As {@link #decide(List, Map, Map)}, with the collection's truncate watermark: an upsert older than the last
     * truncate of the collection is skipped, as if every document had a tombstone of that LSN.
     *
     * @param truncated the LSN of the collection's last truncate, -1 when there was none
     */
    static MilvusLsnGuard decide(List<Write> writes, Map<String, Long> rows, Map<String, Long> tombstones,
                                 long truncated) {
        List<Write> upserts = new ArrayList<>();
        List<Write> equalLsn = new ArrayList<>();
        List<Write> deletes = new ArrayList<>();
        List<String> rowDeletes = new ArrayList<>();
        List<Write> tombstoneWrites = new ArrayList<>();
        int skipped = 0;
        for (Write w : writes) {
            String id = w.change().id();
            long lsn = w.change().lsn();
            Long row = rows.get(id);
            Long tombstone = tombstones.get(id);
            if (w.change().isDelete()) {
                if (row != null && row > lsn) {
                    skipped++;
                    continue;
                }
                boolean newerTombstone = tombstone == null || tombstone < lsn;
                if (row == null && !newerTombstone) {
                    skipped++;
                    continue;
                }
                deletes.add(w);
                if (row != null) {
                    rowDeletes.add(id);
                }
                if (newerTombstone) {
                    tombstoneWrites.add(w);
                }
            } else if (tombstone != null && tombstone > lsn || truncated > lsn) {
                skipped++;
            } else if (row == null || row < lsn) {
                upserts.add(w);
            } else if (row == lsn) {
                equalLsn.add(w);
            } else {
                skipped++;
            }
        }
        return new MilvusLsnGuard(upserts, equalLsn, deletes, rowDeletes, tombstoneWrites, skipped);
    }

    /** The ids among {@code written} upserts that have a tombstone, which the upsert makes obsolete. */
    static List<String> obsoleteTombstones(List<Write> written, Map<String, Long> tombstones) {
        List<String> ids = new ArrayList<>();
        for (Write w : written) {
            if (tombstones.containsKey(w.change().id())) {
                ids.add(w.change().id());
            }
        }
        return ids;
    }
}
