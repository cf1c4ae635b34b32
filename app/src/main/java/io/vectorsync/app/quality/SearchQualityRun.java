package io.vectorsync.app.quality;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.pipeline.Stores;
import io.vectorsync.app.search.SearchRequest;
import io.vectorsync.app.search.SearchService;
import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.core.model.ContentHash;
import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.migration.shadow.ShadowReads;
import io.vectorsync.sink.api.ApplyResult;
import io.vectorsync.sink.api.SearchHit;
import io.vectorsync.sink.api.Sink;
import io.vectorsync.sink.api.SinkUnavailableException;
import io.vectorsync.sink.search.Fusion;
import io.vectorsync.sink.search.SearchMode;
import io.vectorsync.streams.embedding.EmbeddingProvider;
import io.vectorsync.streams.embedding.EmbeddingProviders;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Measures search quality on the {@link LabelledSet}: writes its documents into a collection of each store (embedded
 * with the configured model, written through each store's own sink), then asks every query through the
 * {@link SearchService} — the code the API answers with — in each search mode of each store, and scores the answers
 * ({@link QualityScores}). The collection is emptied first (a truncate), so each run starts from the set alone.
 */
public final class SearchQualityRun {
    private static final int EMBED_BATCH = 32;
    private static final int WRITE_ATTEMPTS = 4;

    /** One store and mode: its scores and each query's answered ids, or why the store refused the mode. */
    public record Row(SinkName store, SearchMode mode, Optional<QualityScores.Score> score, Optional<String> refusal,
                      List<List<String>> answers) {
    }

    /** What the run measured, with what. */
    public record Result(String model, int documents, List<LabelledSet.Query> queries, int k, Fusion fusion,
                         double vectorWeight, List<Row> rows) {
    }

    private SearchQualityRun() {
    }

    public static Result run(AppConfig app, List<SinkName> stores, String collection, int k, Fusion fusion,
                             double vectorWeight) throws SinkUnavailableException {
        LabelledSet set = LabelledSet.load();
        MappingConfig mappings = mappings(collection, stores);
        CollectionMapping mapping = mappings.collection(collection).orElseThrow();
        EmbeddingProvider embedder = EmbeddingProviders.create(app.embedding());
        try (SearchService search = new SearchService(mappings, embedder, store -> Stores.reader(app, store),
                c -> Optional.empty(), new ShadowReads(Runnable::run, new SimpleMeterRegistry(), Clock.SYSTEM, 1))) {
            List<EnrichedChange> changes = changes(set, collection, embedder);
            for (SinkName store : stores) {
                write(app, store, mapping, changes);
            }
            List<Set<String>> relevant = set.queries().stream().map(LabelledSet.Query::relevant).toList();
            List<Row> rows = new ArrayList<>();
            for (SinkName store : stores) {
                for (SearchMode mode : SearchMode.values()) {
                    rows.add(measure(search, set, relevant, collection, store, mode, k, fusion, vectorWeight));
                }
            }
            return new Result(embedder.modelId(), set.documents().size(), set.queries(), k, fusion,
                    vectorWeight, rows);
        }
    }

    private static Row measure(SearchService search, LabelledSet set, List<Set<String>> relevant, String collection,
                               SinkName store, SearchMode mode, int k, Fusion fusion, double vectorWeight)
            throws SinkUnavailableException {
        List<List<String>> answers = new ArrayList<>();
        for (LabelledSet.Query q : set.queries()) {
            SearchRequest request = new SearchRequest(collection, q.text(), k, mode, fusion, vectorWeight,
                    Optional.of(store), Optional.empty());
            try {
                answers.add(search.search(request).hits().stream().map(SearchHit::id).toList());
            } catch (SearchService.BadSearchException e) {
                return new Row(store, mode, Optional.empty(), Optional.of(e.getMessage()), List.of());
            }
        }
        return new Row(store, mode, Optional.of(QualityScores.score(answers, relevant, k)), Optional.empty(),
                answers);
    }

    private static MappingConfig mappings(String collection, List<SinkName> stores) {
        String prefix = "collections." + collection + ".";
        ConfigReader reader = new ConfigReader(Map.of(prefix + "table", "public." + collection,
                prefix + "id", "id", prefix + "template", "{title}: {body}",
                prefix + "sinks", stores.stream().map(SinkName::id).collect(Collectors.joining(","))));
        MappingConfig mappings = MappingConfig.from(reader);
        reader.finish();
        return mappings;
    }

    /** A truncate, then every document after it: whatever the collection held before is gone. */
    private static List<EnrichedChange> changes(LabelledSet set, String collection, EmbeddingProvider embedder) {
        long lsn = System.currentTimeMillis();
        List<EnrichedChange> changes = new ArrayList<>();
        changes.add(EnrichedChange.truncate(collection, lsn, lsn));
        List<LabelledSet.Document> docs = set.documents();
        for (int from = 0; from < docs.size(); from += EMBED_BATCH) {
            List<LabelledSet.Document> batch = docs.subList(from, Math.min(docs.size(), from + EMBED_BATCH));
            List<float[]> vectors = embedder.embed(batch.stream().map(LabelledSet.Document::text).toList());
            for (int i = 0; i < batch.size(); i++) {
                LabelledSet.Document d = batch.get(i);
                changes.add(new EnrichedChange(collection, d.id(), EnrichedChange.Kind.UPSERT, d.text(),
                        Map.of("title", d.title()), vectors.get(i), embedder.modelId(), ContentHash.sha256(d.text()),
                        lsn + 1, lsn));
            }
        }
        return changes;
    }

    /**
     * Bounded retry, as the sink worker does: a store just started, or a cold client on a loaded machine, may miss
     * its first connect deadline.
     */
    private static void write(AppConfig app, SinkName store, CollectionMapping mapping, List<EnrichedChange> changes)
            throws SinkUnavailableException {
        for (int attempt = 1; ; attempt++) {
            try {
                writeOnce(app, store, mapping, changes);
                return;
            } catch (SinkUnavailableException e) {
                if (attempt == WRITE_ATTEMPTS) {
                    throw e;
                }
                try {
                    Thread.sleep(1000L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static void writeOnce(AppConfig app, SinkName store, CollectionMapping mapping,
                                  List<EnrichedChange> changes) throws SinkUnavailableException {
        try (Sink sink = Stores.sink(app, store)) {
            sink.prepare(mapping);
            ApplyResult result = sink.apply(changes);
            if (!result.rejected().isEmpty()) {
                throw new IllegalStateException(store.id() + " rejected " + result.rejected().size()
                        + " documents of the labelled set, first: " + result.rejected().get(0).reason());
            }
        }
    }
}
