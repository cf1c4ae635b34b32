package io.vectorsync.validation;

import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.model.ContentHash;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.TableId;
import io.vectorsync.core.model.TextTemplate;
import io.vectorsync.sink.api.SearchHit;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.sink.api.StoredDocument;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/** In-memory source, stores and model for the validator's unit tests. */
final class Fakes {
    static final CollectionMapping DOCS = new CollectionMapping("docs", TableId.parse("public.docs"), List.of("id"),
            TextTemplate.parse("{title}: {body}"), List.of(), Set.of(SinkName.PGVECTOR, SinkName.NEO4J));
    static final String MODEL = "fake-model";

    private Fakes() {
    }

    /** A deterministic 8-dimensional "embedding" of a text. */
    static float[] vector(String text) {
        byte[] bytes = ContentHash.sha256(text).getBytes(StandardCharsets.US_ASCII);
        float[] v = new float[8];
        for (int i = 0; i < v.length; i++) {
            v[i] = (bytes[i] % 13) + 1;
        }
        return v;
    }

    static final class Embedder implements TextEmbedder {
        final AtomicInteger texts = new AtomicInteger();

        @Override
        public List<float[]> embed(List<String> batch) {
            texts.addAndGet(batch.size());
            return batch.stream().map(Fakes::vector).toList();
        }
    }

    /** A source table of int ids with title and body, in id order. */
    static final class Source implements SourceTable {
        final TreeMap<Integer, String[]> rows = new TreeMap<>();

        void put(int id, String title, String body) {
            rows.put(id, new String[]{title, body});
        }

        SourceRow row(int id) {
            String[] r = rows.get(id);
            String text = r[0] + ": " + r[1];
            return new SourceRow(List.of(Integer.toString(id)), Integer.toString(id), text, ContentHash.sha256(text));
        }

        @Override
        public long count() {
            return rows.size();
        }

        @Override
        public List<SourceRow> page(List<String> after, int limit) {
            Map<Integer, String[]> tail = after == null ? rows : rows.tailMap(Integer.parseInt(after.get(0)), false);
            return tail.keySet().stream().limit(limit).map(this::row).toList();
        }

        @Override
        public Map<String, SourceRow> rows(Collection<List<String>> keys) {
            Map<String, SourceRow> out = new LinkedHashMap<>();
            for (List<String> key : keys) {
                try {
                    int id = Integer.parseInt(key.get(0));
                    if (rows.containsKey(id)) {
                        out.put(Integer.toString(id), row(id));
                    }
                } catch (NumberFormatException e) {
                    // not an int key: no row
                }
            }
            return out;
        }

        @Override
        public List<List<String>> sampleKeys(int n) {
            // "Random" but fixed: every other row, so a test knows which rows were sampled.
            List<List<String>> keys = new ArrayList<>();
            for (int id : rows.keySet()) {
                if (id % 2 == 0 && keys.size() < n) {
                    keys.add(List.of(Integer.toString(id)));
                }
            }
            return keys;
        }

        @Override
        public Set<String> existing(Collection<String> ids) {
            Set<String> out = new LinkedHashSet<>();
            for (String id : ids) {
                if (!rows(List.of(List.of(id))).isEmpty()) {
                    out.add(id);
                }
            }
            return out;
        }

        @Override
        public void close() {
        }
    }

    /** A store holding documents by id in binary order. */
    static final class Store implements SinkReader {
        final SinkName name;
        final TreeMap<String, StoredDocument> docs = new TreeMap<>();

        Store(SinkName name) {
            this.name = name;
        }

        /** Holds exactly what the pipeline would write for each source row. */
        Store copyOf(Source source) {
            source.rows.keySet().forEach(id -> write(source.row(id)));
            return this;
        }

        void write(SourceRow row) {
            docs.put(row.id(), new StoredDocument(row.id(), row.text(), Map.of(),
                    row.text().isBlank() ? null : vector(row.text()), MODEL, row.hash(), 1));
        }

        void put(String id, String content, String hash, float[] vector) {
            docs.put(id, new StoredDocument(id, content, Map.of(), vector, MODEL, hash, 1));
        }

        @Override
        public SinkName name() {
            return name;
        }

        @Override
        public Optional<StoredDocument> find(String collection, String id) {
            return Optional.ofNullable(docs.get(id));
        }

        @Override
        public List<SearchHit> search(String collection, float[] vector, int k) {
            return List.of();
        }

        @Override
        public List<String> ids(String collection, String afterId, int limit) {
            return (afterId == null ? docs : docs.tailMap(afterId, false)).keySet().stream().limit(limit).toList();
        }

        @Override
        public long count(String collection) {
            return docs.size();
        }

        @Override
        public void close() {
        }
    }
}
