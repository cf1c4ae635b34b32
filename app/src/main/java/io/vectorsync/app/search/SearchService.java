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
import io.vectorsync.streams.embedding.EmbeddingProvider;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Embeds a query and reads the nearest documents from the store the collection's mode says serves reads; in
 * SHADOW the same query is mirrored to the target off the request path and compared there.
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

        BadSearchException(String message, boolean notFound) {
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

    /**
     * @throws BadSearchException      for an unknown collection, a blank query or k outside 1..{@value #MAX_K}
     * @throws SinkUnavailableException when the serving store cannot answer
     */
    public SearchAnswer search(String collection, String query, int k) throws SinkUnavailableException {
        CollectionMapping mapping = mappings.collection(collection).orElseThrow(() -> new BadSearchException(
                "unknown collection '" + collection + "'", true));
        if (query == null || query.isBlank()) {
            throw new BadSearchException("q is required: the text to search for", false);
        }
        if (k < 1 || k > MAX_K) {
            throw new BadSearchException("k must be between 1 and " + MAX_K + ", was " + k, false);
        }
        long start = System.nanoTime();
        float[] vector;
        synchronized (embedder) {
            vector = embedder.embed(List.of(query)).get(0);
        }
        Optional<ModeStatus> status = mapping.migration().isPresent()
                ? Optional.of(modes.apply(collection).orElseGet(() -> ModeStatus.initial(collection,
                mapping.migration().get(), System.currentTimeMillis())))
                : Optional.empty();
        SinkName store = status.map(ModeStatus::readStore)
                .orElseGet(() -> mapping.sinks().stream().sorted().findFirst().orElseThrow());
        long searchStart = System.nanoTime();
        List<SearchHit> hits = searchIn(store, collection, vector, k);
        Duration latency = Duration.ofNanos(System.nanoTime() - searchStart);
        SinkName shadowStore = null;
        if (status.isPresent() && status.get().mode().mirrorsReads()) {
            shadowStore = status.get().store(StoreRole.TARGET);
            SinkName target = shadowStore;
            shadow.mirror(collection, store, target, hits, latency, () -> searchQuietly(target, collection, vector, k),
                    k);
        }
        long took = Duration.ofNanos(System.nanoTime() - start).toMillis();
        return new SearchAnswer(collection, query, k, status.map(s -> s.mode().name()).orElse(null),
                status.map(ModeStatus::epoch).orElse(0L), store, shadowStore, took, hits);
    }

    private List<SearchHit> searchIn(SinkName store, String collection, float[] vector, int k)
            throws SinkUnavailableException {
        SinkReader reader;
        synchronized (readers) {
            reader = readers.computeIfAbsent(store, openReader);
        }
        // A reader serves one thread at a time.
        synchronized (reader) {
            return reader.search(collection, vector, k);
        }
    }

    private List<SearchHit> searchQuietly(SinkName store, String collection, float[] vector, int k) {
        try {
            return searchIn(store, collection, vector, k);
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
