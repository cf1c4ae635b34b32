package io.vectorsync.sink.contract;

import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.config.Relation;
import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.TableId;
import io.vectorsync.core.model.TextTemplate;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.sink.api.SinkUnavailableException;
import io.vectorsync.sink.api.StoredDocument;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Changes and mappings for sink tests: deterministic vectors, real hashes, no randomness. */
public final class Documents {
    public static final int DIM = 384;
    public static final String MODEL = "all-minilm-l6-v2-q";
    public static final long TS = Instant.parse("2025-01-02T03:04:05.678Z").toEpochMilli();

    private Documents() {
    }

    public static CollectionMapping mapping(String name, Relation... relations) {
        return new CollectionMapping(name, new TableId("public", name), List.of("id"), TextTemplate.parse("{body}"),
                List.of(), EnumSet.allOf(SinkName.class), List.of(relations));
    }

    public static EnrichedChange upsert(String collection, String id, String content, Map<String, Object> metadata,
                                        float[] embedding, long lsn) {
        return new EnrichedChange(collection, id, EnrichedChange.Kind.UPSERT, content, metadata, embedding, MODEL,
                sha256(content == null ? "" : content), lsn, TS + lsn);
    }

    public static EnrichedChange delete(String collection, String id, long lsn) {
        return EnrichedChange.delete(collection, id, lsn, TS + lsn);
    }

    /** Deterministic, distinct per seed, with values that are not round in binary. */
    public static float[] vector(int seed) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) Math.sin(seed * 31.0 + i * 0.7) / 3f;
        }
        return v;
    }

    /** The store holds exactly what the change says: every field, the vector bit for bit. */
    public static void assertStored(SinkReader reader, EnrichedChange change) throws SinkUnavailableException {
        Optional<StoredDocument> stored = reader.find(change.collection(), change.id());
        assertThat(stored).as("stored %s in %s", change.documentKey(), reader.name()).isPresent();
        assertThat(stored.get()).usingRecursiveComparison().isEqualTo(new StoredDocument(change.id(),
                change.content(), change.metadata(), change.embedding(), change.model(), change.contentHash(),
                change.lsn()));
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
