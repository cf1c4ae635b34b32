package io.vectorsync.streams.topology;

import io.vectorsync.core.DeadLetterHeaders;
import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.core.config.TombstoneConfig;
import io.vectorsync.core.debezium.CdcRecordParser;
import io.vectorsync.core.embedding.TextBatches;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.kafka.OversizedRecordException;
import io.vectorsync.core.kafka.RecordSizeLimit;
import io.vectorsync.core.mapping.MappingException;
import io.vectorsync.core.model.ChangeEvent;
import io.vectorsync.core.model.ContentHash;
import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.core.model.StreamPosition;
import io.vectorsync.core.model.TableId;
import io.vectorsync.streams.embedding.EmbeddingProvider;
import io.vectorsync.streams.embedding.EmbeddingUnavailableException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parses and maps each change, then embeds in batches. Changes wait in a changelogged store, not in memory, so a
 * crash between poll and flush loses nothing: the store is restored and flushed on restart. A batch is flushed
 * when it is full or when the oldest change has waited {@code maxWait}. Within a batch, changes are emitted in
 * arrival order, so each document's changes stay in order.
 *
 * <p>A TRUNCATE of a mapped table (the connector sends it to every partition, so every task sees it in order with its
 * own changes) makes the task forget the collection's documents older than it: their states go from the document
 * store, waiting changes older than it in the same batch are dropped unembedded, and the truncate's LSN is kept as
 * the collection's watermark under {@link #truncatedKey}: a change older than it is stale from then on, even once
 * replayed. An {@link EnrichedChange#truncate} goes on to every sink, which removes the documents older than it.
 *
 * <p>A change event, or the enriched change made of it, larger than {@code kafka.max.record.bytes} is dead-lettered
 * with an {@link OversizedRecordException}: Kafka would refuse to store it, and the stream thread would stop on it at
 * every restart. A dead letter too large itself keeps the event without its rows.
 */
final class EnrichProcessor implements Processor<String, String, String, Outcome> {
    private static final Logger LOG = LoggerFactory.getLogger(EnrichProcessor.class);

    private final MappingConfig mappings;
    private final EmbeddingProvider embedder;
    private final int batchSize;
    private final Duration maxWait;
    private final EnrichmentMetrics metrics;
    private final RecordSizeLimit limit;
    private final EmbeddingHold hold;
    private final TombstoneConfig tombstoneConfig;

    private ProcessorContext<String, Outcome> context;
    private StateTombstones tombstones;
    private KeyValueStore<String, DocumentState> documents;
    private KeyValueStore<Long, PendingChange> pending;
    private long nextSeq;
    private int pendingCount;

    EnrichProcessor(MappingConfig mappings, EmbeddingProvider embedder, int batchSize, Duration maxWait,
                    EnrichmentMetrics metrics, RecordSizeLimit limit, EmbeddingHold hold,
                    TombstoneConfig tombstoneConfig) {
        this.mappings = mappings;
        this.hold = hold;
        this.tombstoneConfig = tombstoneConfig;
        this.limit = limit;
        this.embedder = embedder;
        this.batchSize = batchSize;
        this.maxWait = maxWait;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Outcome> context) {
        this.context = context;
        this.documents = context.getStateStore(EnrichmentTopology.DOCUMENTS_STORE);
        this.pending = context.getStateStore(EnrichmentTopology.PENDING_STORE);
        this.tombstones = new StateTombstones(tombstoneConfig, documents,
                context.getStateStore(EnrichmentTopology.TOMBSTONES_STORE), metrics.tombstonesPurged);
        try (KeyValueIterator<Long, PendingChange> it = pending.all()) {
            while (it.hasNext()) {
                nextSeq = Math.max(nextSeq, it.next().key + 1);
                pendingCount++;
            }
        }
        context.schedule(maxWait, PunctuationType.WALL_CLOCK_TIME, now -> flush());
        if (tombstoneConfig.purges()) {
            context.schedule(tombstoneConfig.purgeInterval(), PunctuationType.WALL_CLOCK_TIME, tombstones::purge);
        }
    }

    @Override
    public void process(Record<String, String> record) {
        if (record.value() == null) {
            return; // Debezium's tombstone after a delete: the op=d event already carried the delete.
        }
        Optional<RecordMetadata> meta = context.recordMetadata();
        String topic = meta.map(RecordMetadata::topic).orElse("");
        int partition = meta.map(RecordMetadata::partition).orElse(-1);
        long offset = meta.map(RecordMetadata::offset).orElse(-1L);
        Optional<OversizedRecordException> tooLarge = limit.check(record.key(), record.value());
        if (tooLarge.isPresent()) {
            metrics.oversized.increment();
            deadLetter(record.key(), record.value(), record.timestamp(), tooLarge.get(), topic, partition, offset);
            return;
        }
        try {
            ChangeEvent event = CdcRecordParser.parse(record.key(), record.value());
            CollectionMapping mapping = mappingOf(event);
            if (!event.isTruncate()) {
                DocumentMapper.documentId(mapping, event); // fail now, not in the batch, when the id is unusable
            }
            pending.put(nextSeq++, new PendingChange(record.key(), record.value(), topic, partition, offset, event));
            pendingCount++;
        } catch (RuntimeException e) {
            deadLetter(record.key(), record.value(), record.timestamp(), e, topic, partition, offset);
            return;
        }
        if (pendingCount >= batchSize) {
            flush();
        }
    }

    /** One document change of a batch, resolved before the model is called. */
    private static final class Prepared {
        final KeyValue<Long, PendingChange> item;
        final CollectionMapping mapping;
        final String id;
        RuntimeException failure;
        boolean stale;
        /** A truncate of the collection, not a change of one document. */
        boolean truncate;
        /** The LSN the change is emitted with: its own, or for a backfill read the row's last LSN. */
        long lsn;
        Map<String, Object> columns;
        String text;
        String hash;
        float[] vector;
        int textIndex = -1;

        Prepared(KeyValue<Long, PendingChange> item, CollectionMapping mapping, String id) {
            this.item = item;
            this.mapping = mapping;
            this.id = id;
        }

        String documentKey() {
            return mapping.name() + "/" + id;
        }
    }

    private void flush() {
        long now = context.currentSystemTimeMs();
        if (pendingCount == 0 || hold.waiting(now)) {
            return;
        }
        List<KeyValue<Long, PendingChange>> items = new ArrayList<>();
        try (KeyValueIterator<Long, PendingChange> it = pending.all()) {
            it.forEachRemaining(items::add);
        }
        // Later changes of a document in this batch see the earlier ones, not the store.
        Map<String, Prepared> latest = new HashMap<>();
        Map<String, Integer> texts = new LinkedHashMap<>();
        Map<String, Long> truncated = new HashMap<>();
        Set<Long> truncatedLater = truncatedLater(items);
        List<Prepared> batch = new ArrayList<>(items.size());
        for (KeyValue<Long, PendingChange> item : items) {
            batch.add(prepare(item, latest, texts, truncated, truncatedLater));
        }
        List<float[]> vectors;
        try {
            vectors = embed(new ArrayList<>(texts.keySet()), batch);
        } catch (EmbeddingUnavailableException e) {
            // Nothing was written yet: every change stays in the pending store, in order, for the next try.
            hold.hold(e, now, pendingCount);
            return;
        }
        if (!texts.isEmpty()) {
            hold.release(now);
        }
        for (Prepared p : batch) {
            try {
                emit(p, vectors);
            } catch (RuntimeException e) {
                // Whatever one change does here (its metadata, say) must not stop the thread for every other one.
                p.failure = e;
                emit(p, vectors);
            }
            pending.delete(p.item.key);
        }
        pendingCount = 0;
        LOG.debug("flushed {} changes, {} texts embedded", batch.size(), texts.size());
    }

    /**
     * The waiting changes that a truncate of their table later in the batch (with a higher LSN) removes anyway: they
     * are dropped before the model is called.
     */
    private static Set<Long> truncatedLater(List<KeyValue<Long, PendingChange>> items) {
        Set<Long> seqs = new HashSet<>();
        Map<TableId, Long> truncates = new HashMap<>();
        for (int i = items.size() - 1; i >= 0; i--) {
            ChangeEvent event = items.get(i).value.event();
            if (event.isTruncate()) {
                truncates.merge(event.table(), event.lsn(), Math::max);
            } else if (truncates.containsKey(event.table()) && event.lsn() < truncates.get(event.table())) {
                seqs.add(items.get(i).key);
            }
        }
        return seqs;
    }

    /** Where the document store keeps a collection's truncate watermark; no collection name holds '@'. */
    static String truncatedKey(String collection) {
        return "@truncated/" + collection;
    }

    /** The LSN of the collection's last truncate this task processed, -1 when none. */
    private long truncateWatermark(String collection, Map<String, Long> truncatedInBatch) {
        Long inBatch = truncatedInBatch.get(collection);
        if (inBatch != null) {
            return inBatch;
        }
        DocumentState stored = documents.get(truncatedKey(collection));
        return stored == null ? -1 : stored.lsn();
    }

    /**
     * Resolves one waiting change. A change that cannot be, because the mapping changed since it was taken in (a
     * restart with other configuration) or its columns do not fit, comes back with its failure, to be dead-lettered.
     */
    private Prepared prepare(KeyValue<Long, PendingChange> item, Map<String, Prepared> latest,
                             Map<String, Integer> texts, Map<String, Long> truncated, Set<Long> truncatedLater) {
        Prepared p;
        try {
            CollectionMapping mapping = mappingOf(item.value.event());
            if (item.value.event().isTruncate()) {
                return prepareTruncate(item, mapping, latest, truncated);
            }
            p = new Prepared(item, mapping, DocumentMapper.documentId(mapping, item.value.event()));
            if (truncatedLater.contains(item.key)) {
                p.stale = true;
                return p;
            }
        } catch (RuntimeException e) {
            p = new Prepared(item, null, null);
            p.failure = e;
            return p;
        }
        try {
            prepare(p, latest, texts, truncateWatermark(p.mapping.name(), truncated));
            if (!p.stale) {
                latest.put(p.documentKey(), p);
            }
        } catch (RuntimeException e) {
            p.failure = e;
        }
        return p;
    }

    /**
     * A truncate: stale when a newer truncate of the collection was processed; otherwise the batch's later changes of
     * the collection no longer see its earlier ones. The same truncate again (a replay after a crash, whose output
     * may not have reached Kafka) goes out again, as a change with the stored LSN does: the sinks skip a copy.
     */
    private Prepared prepareTruncate(KeyValue<Long, PendingChange> item, CollectionMapping mapping,
                                     Map<String, Prepared> latest, Map<String, Long> truncated) {
        Prepared p = new Prepared(item, mapping, null);
        p.truncate = true;
        p.lsn = item.value.event().lsn();
        if (p.lsn < truncateWatermark(mapping.name(), truncated)) {
            p.stale = true;
            return p;
        }
        truncated.put(mapping.name(), p.lsn);
        String prefix = mapping.name() + "/";
        latest.entrySet().removeIf(e -> e.getKey().startsWith(prefix) && e.getValue().lsn < p.lsn);
        return p;
    }

    /** @param truncated the LSN of the collection's last truncate, -1 when none */
    private void prepare(Prepared p, Map<String, Prepared> latest, Map<String, Integer> texts, long truncated) {
        ChangeEvent event = p.item.value.event();
        Prepared earlier = latest.get(p.documentKey());
        DocumentState stored = earlier != null ? null : documents.get(p.documentKey());
        if (stored != null && stored.lsn() < truncated) {
            stored = null; // the truncate removed it; its state goes when the truncate is emitted
        }
        long previousLsn = earlier != null ? earlier.lsn : stored != null ? stored.lsn() : -1;
        p.lsn = event.lsn();
        if (event.incrementalSnapshot()) {
            StreamPosition previous = earlier != null ? earlier.item.value.event().position()
                    : stored != null ? stored.position() : null;
            boolean deleted = earlier != null ? earlier.item.value.event().isDelete()
                    : stored != null && stored.isDeleted();
            if (deleted || previous != null && event.position() != null && previous.isAfter(event.position())) {
                // A backfill read behind a change this topology already processed: only a replay gets here, since
                // Debezium drops a read when the row changes within its chunk's window.
                p.stale = true;
                return;
            }
            // In stream order the read holds the row as the last processed change left it, so it takes that
            // change's LSN: a store holding that change skips it, a store being backfilled takes it, and every
            // later change of the row still has a larger LSN (a row lock orders a row's changes).
            // A row read after a truncate exists now, so it was written after it: at least the truncate's LSN.
            p.lsn = Math.max(Math.max(previousLsn, truncated), 0);
        } else if (event.lsn() < previousLsn || event.lsn() < truncated) {
            // A replay of a change older than one already processed: every sink has the newer one.
            p.stale = true;
            return;
        }
        if (event.isDelete()) {
            return;
        }
        Optional<Map<String, Object>> previousColumns = earlier != null
                ? Optional.ofNullable(earlier.columns)
                : Optional.ofNullable(stored).map(DocumentState::columns);
        p.columns = DocumentMapper.resolveColumns(p.mapping, event, previousColumns);
        p.text = DocumentMapper.text(p.mapping, p.columns);
        if (p.mapping.vectorColumn().isPresent()) {
            // The vector is in the row: no model, so nothing to skip either.
            String model = p.mapping.modelId(embedder.modelId());
            Optional<float[]> previousVector = earlier != null ? Optional.ofNullable(earlier.vector)
                    : stored != null && !stored.isDeleted() && model.equals(stored.model())
                    ? Optional.ofNullable(stored.embedding()) : Optional.empty();
            p.vector = SourceVectors.vector(p.mapping, p.id, event, p.text, previousVector, embedder.dimension());
            p.hash = ContentHash.sha256(p.text, p.vector);
            return;
        }
        p.hash = ContentHash.sha256(p.text);
        if (earlier != null && earlier.hash != null && earlier.hash.equals(p.hash)) {
            p.vector = earlier.vector;
            p.textIndex = earlier.textIndex;
            metrics.skipped.increment();
        } else if (stored != null && !stored.isDeleted() && p.hash.equals(stored.contentHash()) && embedder.modelId().equals(stored.model())
                && (stored.embedding() != null || p.text.isBlank())) {
            p.vector = stored.embedding();
            metrics.skipped.increment();
        } else if (!p.text.isBlank()) {
            p.textIndex = texts.computeIfAbsent(p.text, t -> texts.size());
        }
    }

    /**
     * One vector per text, in order. When the model fails on a chunk, its texts are embedded one by one, so only the
     * changes whose own text fails are dead-lettered (with the model's reason); their vector stays null. A provider
     * that cannot answer now ({@link EmbeddingUnavailableException}) fails it all: the batch is held, not
     * dead-lettered.
     */
    private List<float[]> embed(List<String> texts, List<Prepared> batch) {
        List<float[]> vectors = new ArrayList<>(texts.size());
        int from = 0;
        for (List<String> chunk : TextBatches.split(texts, batchSize)) {
            try {
                vectors.addAll(embedChecked(chunk));
            } catch (EmbeddingUnavailableException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.warn("embedding model {} failed on a batch of {} texts, embedding them one by one: {}",
                        embedder.modelId(), chunk.size(), e.getMessage());
                for (int i = 0; i < chunk.size(); i++) {
                    vectors.add(embedAlone(chunk.get(i), from + i, batch));
                }
            }
            from += chunk.size();
        }
        return vectors;
    }

    private float[] embedAlone(String text, int textIndex, List<Prepared> batch) {
        try {
            return embedChecked(List.of(text)).get(0);
        } catch (EmbeddingUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            EmbeddingFailedException failure = new EmbeddingFailedException(embedder.modelId(), e);
            for (Prepared p : batch) {
                if (p.failure == null && p.textIndex == textIndex) {
                    p.failure = failure;
                }
            }
            return null;
        }
    }

    private List<float[]> embedChecked(List<String> texts) {
        List<float[]> vectors = TextBatches.checked(embedder.embed(texts), texts);
        metrics.embedded.increment(texts.size());
        metrics.batchSize.record(texts.size());
        return vectors;
    }

    /** The model failed on a change's text; the message names the model and carries the model's reason. */
    static final class EmbeddingFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        EmbeddingFailedException(String model, RuntimeException cause) {
            super("embedding model " + model + " failed: " + (cause.getMessage() == null
                    ? cause.getClass().getSimpleName() : cause.getMessage()), cause);
        }
    }

    private void emit(Prepared p, List<float[]> vectors) {
        PendingChange origin = p.item.value;
        ChangeEvent event = origin.event();
        if (p.failure != null) {
            deadLetter(origin.rawKey(), origin.rawValue(), event.sourceTsMs(), p.failure, origin.topic(),
                    origin.partition(), origin.offset());
            return;
        }
        if (p.stale) {
            metrics.stale.increment();
            return;
        }
        if (p.truncate) {
            emitTruncate(p, event);
            return;
        }
        EnrichedChange change;
        DocumentState state;
        if (event.isDelete()) {
            change = EnrichedChange.delete(p.mapping.name(), p.id, p.lsn, event.sourceTsMs());
            state = DocumentState.tombstone(p.lsn, event.position());
        } else {
            float[] vector = p.textIndex >= 0 ? vectors.get(p.textIndex) : p.vector;
            p.vector = vector;
            String model = p.mapping.modelId(embedder.modelId());
            change = new EnrichedChange(p.mapping.name(), p.id, EnrichedChange.Kind.UPSERT, p.text,
                    DocumentMapper.metadata(p.mapping, p.columns), vector, model, p.hash, p.lsn,
                    event.sourceTsMs());
            state = new DocumentState(p.columns, p.hash, model, vector, p.lsn, event.position());
        }
        // Its text and metadata may come out larger than the event (a template repeating a column).
        Optional<OversizedRecordException> tooLarge = limit.check(change.documentKey(), Json.write(change));
        if (tooLarge.isPresent()) {
            metrics.oversized.increment();
            deadLetter(origin.rawKey(), origin.rawValue(), event.sourceTsMs(), tooLarge.get(), origin.topic(),
                    origin.partition(), origin.offset());
            return; // the stores never see it, so neither does the document state
        }
        documents.put(p.documentKey(), state);
        tombstones.stored(p.documentKey(), state, event.sourceTsMs());
        context.forward(new Record<>(change.documentKey(), Outcome.enriched(change), event.sourceTsMs()));
    }

    /** Forgets the collection's documents older than the truncate, keeps its watermark, and sends it on. */
    private void emitTruncate(Prepared p, ChangeEvent event) {
        String collection = p.mapping.name();
        List<String> forgotten = new ArrayList<>();
        try (KeyValueIterator<String, DocumentState> it = documents.prefixScan(collection + "/",
                new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, DocumentState> entry = it.next();
                if (entry.value.lsn() < p.lsn) {
                    forgotten.add(entry.key);
                }
            }
        }
        forgotten.forEach(key -> {
            documents.delete(key);
            tombstones.forgotten(key);
        });
        documents.put(truncatedKey(collection), DocumentState.tombstone(p.lsn, event.position()));
        EnrichedChange change = EnrichedChange.truncate(collection, p.lsn, event.sourceTsMs());
        LOG.info("TRUNCATE of {} at LSN {}: collection '{}' forgets {} documents in this task and every sink removes"
                + " its documents older than it", event.table(), p.lsn, collection, forgotten.size());
        context.forward(new Record<>(change.documentKey(), Outcome.enriched(change), event.sourceTsMs()));
    }

    private CollectionMapping mappingOf(ChangeEvent event) {
        return mappings.forTable(event.table()).orElseThrow(() -> new MappingException(
                "no collection maps table " + event.table()));
    }

    private void deadLetter(String key, String value, long timestamp, RuntimeException error, String topic,
                            int partition, long offset) {
        try (MDC.MDCCloseable k = MDC.putCloseable("key", String.valueOf(key))) {
            LOG.warn("dead-lettering record {}-{}@{}: {}", topic, partition, offset, error.getMessage());
        }
        metrics.deadLetters.increment();
        // A dead letter must fit too: one that would not keeps the event without its rows.
        String kept = limit.check(key, value).isPresent() ? CdcRecordParser.withoutRows(value) : value;
        context.forward(new Record<>(key, Outcome.deadLetter(kept), timestamp,
                DeadLetterHeaders.of(error, topic, partition, offset)));
    }
}
