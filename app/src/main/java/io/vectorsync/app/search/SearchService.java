package io.vectorsync.app.search;

import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode.StoreRole;
import io.vectorsync.migration.shadow.ShadowReads;
import io.vectorsync.sink.api.SearchHit;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.sink.api.SinkUnavailableException;
import io.vectorsync.sink.search.Fusion;
import io.vectorsync.sink.search.HybridFusion;
import io.vectorsync.sink.search.SearchMode;
import io.vectorsync.streams.embedding.EmbeddingProvider;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Answers a search by vector, keyword or both fused ({@link HybridFusion}) from the store the collection's mode says
 * serves reads, or from any store that holds the collection when the request names one. In SHADOW a search of the
 * read store is mirrored to the target off the request path and compared there, in the same search mode, when the
 * target can search that way.
 */
public final class SearchService implements AutoCloseable {
    public static final int MAX_K = 100;

    private final MappingConfig mappings;
    private final EmbeddingProvider embedder;
    private final Map<SinkName, SinkReader> readers = new EnumMap<>(SinkName.class);
    private final Function<SinkName, SinkReader> openReader;
    private final Function<String, Optional<ModeStatus>> modes;
    private final ShadowReads shadow;

    /** A request the caller got wrong: the HTTP API answers 400 or 404 with the message. */
    public static final class BadSearchException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final boolean notFound;

        public BadSearchException(String message, boolean notFound) {
            super(message);
            this.notFound = notFound;
        }

        public boolean notFound() {
            return notFound;
        }
    }

    /** @param embedder its own provider (providers are confined to one caller at a time); closed with this service */
    public SearchService(MappingConfig mappings, EmbeddingProvider embedder, Function<SinkName, SinkReader> openReader,
                         Function<String, Optional<ModeStatus>> modes, ShadowReads shadow) {
        this.mappings = mappings;
        this.embedder = embedder;
        this.openReader = openReader;
        this.modes = modes;
        this.shadow = shadow;
    }

    /** A vector search of the read store: {@link #search(SearchRequest)} with the defaults. */
    public SearchAnswer search(String collection, String query, int k) throws SinkUnavailableException {
        return search(SearchRequest.vector(collection, query, k));
    }

    /**
     * @throws BadSearchException      for an unknown collection, a blank query, k outside 1..{@value #MAX_K}, a store
     *                                  that does not hold the collection, or a keyword or hybrid search of a store
     *                                  that has no keyword search (with the store's reason)
     * @throws SinkUnavailableException when the store cannot answer
     */
    public SearchAnswer search(SearchRequest request) throws SinkUnavailableException {
        String collection = request.collection();
        CollectionMapping mapping = mappings.collection(collection).orElseThrow(() -> new BadSearchException(
                "unknown collection '" + collection + "'", true));
        if (request.query() == null || request.query().isBlank()) {
            throw new BadSearchException("q is required: the text to search for", false);
        }
        int k = request.k();
        if (k < 1 || k > MAX_K) {
            throw new BadSearchException("k must be between 1 and " + MAX_K + ", was " + k, false);
        }
        if (request.store().isPresent() && !mapping.sinks().contains(request.store().get())) {
            throw new BadSearchException("store was '" + request.store().get().id() + "' but collection '"
                    + collection + "' is not kept in it; its stores are " + mapping.sinks().stream().sorted()
                    .map(SinkName::id).collect(Collectors.joining(", ")), false);
        }
        long start = System.nanoTime();
        Optional<ModeStatus> status = mapping.migration().isPresent()
                ? Optional.of(modes.apply(collection).orElseGet(() -> ModeStatus.initial(collection,
                mapping.migration().get(), System.currentTimeMillis())))
                : Optional.empty();
        SinkName store = request.store().orElseGet(() -> status.map(ModeStatus::readStore)
                .orElseGet(() -> mapping.sinks().stream().sorted().findFirst().orElseThrow()));
        Optional<String> refusal = refusal(store, request.mode());
        if (refusal.isPresent()) {
            throw new BadSearchException("mode=" + request.mode().id() + " cannot be served by " + store.id() + ": "
                    + refusal.get(), false);
        }
        float[] vector = null;
        if (request.mode() != SearchMode.KEYWORD) {
            synchronized (embedder) {
                vector = embedder.embed(List.of(request.query())).get(0);
            }
        }
        float[] queryVector = vector;
        long searchStart = System.nanoTime();
        List<SearchHit> hits = searchIn(store, request, queryVector);
        Duration latency = Duration.ofNanos(System.nanoTime() - searchStart);
        SinkName shadowStore = null;
        if (request.store().isEmpty() && status.isPresent() && status.get().mode().mirrorsReads()) {
            SinkName target = status.get().store(StoreRole.TARGET);
            // A target that cannot search this way is not compared: its refusal says nothing about agreement.
            if (refusal(target, request.mode()).isEmpty()) {
                shadowStore = target;
                shadow.mirror(collection, store, target, hits, latency,
                        () -> searchQuietly(target, request, queryVector), k);
            }
        }
        long took = Duration.ofNanos(System.nanoTime() - start).toMillis();
        boolean hybrid = request.mode() == SearchMode.HYBRID;
        return new SearchAnswer(collection, request.query(), k, request.mode().id(),
                hybrid ? request.fusion().id() : null,
                hybrid && request.fusion() == Fusion.WEIGHTED ? request.vectorWeight() : null,
                request.minScore().orElse(null), status.map(s -> s.mode().name()).orElse(null),
                status.map(ModeStatus::epoch).orElse(0L), store, shadowStore, took, hits);
    }

    /** How many hits of each list a hybrid search fuses: deeper than k, so a document found by one list counts. */
    static int hybridCandidates(int k) {
        return Math.min(Math.max(5 * k, 50), 5 * MAX_K);
    }

    private Optional<String> refusal(SinkName store, SearchMode mode) {
        return mode == SearchMode.VECTOR ? Optional.empty() : reader(store).keywordSearchRefusal();
    }

    private SinkReader reader(SinkName store) {
        synchronized (readers) {
            return readers.computeIfAbsent(store, openReader);
        }
    }

    private List<SearchHit> searchIn(SinkName store, SearchRequest request, float[] vector)
            throws SinkUnavailableException {
        SinkReader reader = reader(store);
        String collection = request.collection();
        int k = request.k();
        List<SearchHit> hits;
        // A reader serves one thread at a time.
        synchronized (reader) {
            hits = switch (request.mode()) {
                case VECTOR -> reader.search(collection, vector, k);
                case KEYWORD -> reader.keywordSearch(collection, request.query(), k);
                case HYBRID -> {
                    int depth = hybridCandidates(k);
                    yield HybridFusion.fuse(reader.search(collection, vector, depth),
                            reader.keywordSearch(collection, request.query(), depth), request.fusion(),
                            request.vectorWeight(), k);
                }
            };
        }
        if (request.minScore().isEmpty()) {
            return hits;
        }
        double min = request.minScore().get();
        return hits.stream().filter(h -> h.score() >= min).toList();
    }

    private List<SearchHit> searchQuietly(SinkName store, SearchRequest request, float[] vector) {
        try {
            return searchIn(store, request, vector);
        } catch (SinkUnavailableException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        synchronized (readers) {
            readers.values().forEach(SinkReader::close);
            readers.clear();
        }
        embedder.close();
    }
}
