package io.vectorsync.store.pgvector;

import com.pgvector.PGvector;
import io.vectorsync.sink.api.MetadataJson;
import io.vectorsync.sink.api.SearchHit;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Nearest-neighbour search over one pgvector collection by cosine distance, the measure its HNSW index is built
 * for, and keyword search over its generated {@code tsvector} column. Documents without a vector (blank text) are never returned. Its own autocommit connection; one thread at a
 * time.
 */
public final class PgvectorSearch implements AutoCloseable {
    /** A search that failed in the database, naming the collection and the store. */
    public static final class SearchException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SearchException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final PgvectorSinkConfig config;
    private final PgvectorSchema schema;
    private final PgvectorConnection connection;

    public PgvectorSearch(PgvectorSinkConfig config) {
        this.config = config;
        this.schema = PgvectorSchema.of(config);
        this.connection = new PgvectorConnection(config, "vectorsync-pgvector-search", true);
    }

    /**
     * The {@code k} documents nearest to {@code query}, nearest first.
     *
     * @throws IllegalArgumentException for an invalid collection name or {@code k < 1}
     * @throws SearchException          when PostgreSQL fails, e.g. no such collection or a vector of another dimension
     */
    public List<SearchHit> search(String collection, float[] query, int k) {
        Objects.requireNonNull(query, "query");
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, was " + k);
        }
        // ORDER BY the operator expression itself, so the planner can use the HNSW index (vector_cosine_ops).
        String sql = "SELECT id, content, metadata::text, embedding <=> ? AS distance FROM " + schema.table(collection)
                + " WHERE embedding IS NOT NULL ORDER BY embedding <=> ? LIMIT ?";
        PGvector vector = new PGvector(query);
        try (PreparedStatement ps = connection.get().prepareStatement(sql)) {
            ps.setObject(1, vector);
            ps.setObject(2, vector);
            ps.setInt(3, k);
            List<SearchHit> hits = new ArrayList<>(k);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    hits.add(new SearchHit(rs.getString(1), rs.getString(2), MetadataJson.parse(rs.getString(3)),
                            1.0 - rs.getDouble(4)));
                }
            }
            return hits;
        } catch (SQLException e) {
            connection.discard();
            throw new SearchException("pgvector search in collection '" + collection + "' at " + config.safeUrl()
                    + " failed: " + SqlErrors.describe(e), e);
        }
    }

    /**
     * The {@code k} documents whose text best matches {@code text} ({@code websearch_to_tsquery} in the configured
     * text search configuration, ranked by {@code ts_rank_cd}), best first, ties by id.
     *
     * @throws IllegalArgumentException for an invalid collection name or {@code k < 1}
     * @throws SearchException          when PostgreSQL fails
     */
    public List<SearchHit> keywordSearch(String collection, String text, int k) {
        Objects.requireNonNull(text, "text");
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, was " + k);
        }
        try (PreparedStatement ps = connection.get().prepareStatement(schema.keywordSearch(collection))) {
            ps.setString(1, text);
            ps.setInt(2, k);
            List<SearchHit> hits = new ArrayList<>(k);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    hits.add(new SearchHit(rs.getString(1), rs.getString(2), MetadataJson.parse(rs.getString(3)),
                            rs.getDouble(4)));
                }
            }
            return hits;
        } catch (SQLException e) {
            connection.discard();
            throw new SearchException("pgvector keyword search in collection '" + collection + "' at "
                    + config.safeUrl() + " failed: " + SqlErrors.describe(e), e);
        }
    }

    @Override
    public void close() {
        connection.close();
    }

}
