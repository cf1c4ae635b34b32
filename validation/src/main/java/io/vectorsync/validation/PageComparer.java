package io.vectorsync.validation;

import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.sink.api.SinkUnavailableException;
import io.vectorsync.sink.api.StoredDocument;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Compares a batch of documents with each store: one read per store, then each text that needs a vector embedded
 * once for all stores (a source vector is compared as it is, never embedded), then {@link StoreComparison#classify}
 * per store and id.
 */
final class PageComparer {
    private final String collection;
    private final Map<SinkName, SinkReader> readers;
    private final TextEmbedder embedder;
    private final double driftMax;

    PageComparer(String collection, Map<SinkName, SinkReader> readers, TextEmbedder embedder, double driftMax) {
        this.collection = collection;
        this.readers = readers;
        this.embedder = embedder;
        this.driftMax = driftMax;
    }

    /**
     * @param rows the source rows by document id; an id without a row has none in the source
     * @param ids  per store, the document ids to compare there
     * @return per store, each id's difference (empty when it matches), in the order of {@code ids}
     */
    Map<SinkName, Map<String, Optional<DifferenceKind>>> compare(Map<String, SourceRow> rows,
                                                                 Map<SinkName, ? extends Collection<String>> ids)
            throws SinkUnavailableException {
        Map<SinkName, Map<String, StoredDocument>> stored = new EnumMap<>(SinkName.class);
        Set<String> texts = new LinkedHashSet<>();
        for (Map.Entry<SinkName, ? extends Collection<String>> e : ids.entrySet()) {
            Map<String, StoredDocument> docs = e.getValue().isEmpty() ? Map.of()
                    : readers.get(e.getKey()).findAll(collection, e.getValue());
            stored.put(e.getKey(), docs);
            for (String id : e.getValue()) {
                SourceRow row = rows.get(id);
                if (StoreComparison.needsVector(row, docs.get(id)) && !row.sourceVector()) {
                    texts.add(row.text());
                }
            }
        }
        Map<String, float[]> vectors = embed(new ArrayList<>(texts));
        Map<SinkName, Map<String, Optional<DifferenceKind>>> out = new EnumMap<>(SinkName.class);
        for (Map.Entry<SinkName, ? extends Collection<String>> e : ids.entrySet()) {
            Map<String, Optional<DifferenceKind>> kinds = new LinkedHashMap<>();
            Map<String, StoredDocument> docs = stored.get(e.getKey());
            for (String id : e.getValue()) {
                SourceRow row = rows.get(id);
                float[] expected = row == null ? null : row.sourceVector() ? row.vector() : vectors.get(row.text());
                kinds.put(id, StoreComparison.classify(row, docs.get(id), expected, driftMax));
            }
            out.put(e.getKey(), kinds);
        }
        return out;
    }

    private Map<String, float[]> embed(List<String> texts) {
        Map<String, float[]> vectors = new HashMap<>();
        if (texts.isEmpty()) {
            return vectors;
        }
        List<float[]> embedded = embedder.embed(texts);
        for (int i = 0; i < texts.size(); i++) {
            vectors.put(texts.get(i), embedded.get(i));
        }
        return vectors;
    }
}
