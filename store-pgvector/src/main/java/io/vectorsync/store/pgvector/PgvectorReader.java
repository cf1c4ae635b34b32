package io.vectorsync.store.pgvector;

import com.pgvector.PGvector;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.MetadataJson;
import io.vectorsync.sink.api.SearchHit;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.sink.api.SinkReaders;
import io.vectorsync.sink.api.SinkUnavailableException;
import io.vectorsync.sink.api.StoredDocument;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads documents back from the pgvector sink's tables, for validation, search and tests. Its own connection in
 * autocommit, so reads never hold a transaction open. One thread at a time.
 */
public final class PgvectorReader implements SinkReader {
    private static final String UNDEFINED_TABLE = "42P01";
    private final PgvectorSinkConfig config;
    private final PgvectorSchema schema;
    private final PgvectorConnection connection;
    private final PgvectorSearch search;

    public PgvectorReader(PgvectorSinkConfig config) {
        this.config = config;
        this.schema = PgvectorSchema.of(config);
        this.connection = new PgvectorConnection(config, "vectorsync-pgvector-reader", true);
        this.search = new PgvectorSearch(config);
    }

    @Override
    public SinkName name() {
        return SinkName.PGVECTOR;
    }

    @Override
    public Optional<StoredDocument> find(String collection, String id) throws SinkUnavailableException {
        String sql = schema.selectDocument(collection);
        try (PreparedStatement ps = connection.get().prepareStatement(sql)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(document(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            if (UNDEFINED_TABLE.equals(SqlErrors.sqlState(e))) {
                return Optional.empty();
            }
            throw unavailable("could not read from collection '" + collection + "'", e);
        }
    }

    @Override
    public List<String> ids(String collection, String afterId, int limit) throws SinkUnavailableException {
        SinkReaders.requireLimit(limit);
        String sql = afterId == null ? schema.firstIds(collection) : schema.idsAfter(collection);
        try (PreparedStatement ps = connection.get().prepareStatement(sql)) {
            int i = 1;
            if (afterId != null) {
                ps.setString(i++, afterId);
            }
            ps.setInt(i, limit);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        } catch (SQLException e) {
            if (UNDEFINED_TABLE.equals(SqlErrors.sqlState(e))) {
                return List.of();
            }
            throw unavailable("could not list ids of collection '" + collection + "'", e);
        }
    }

    @Override
    public long count(String collection) throws SinkUnavailableException {
        String sql = schema.count(collection);
        try (PreparedStatement ps = connection.get().prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            if (UNDEFINED_TABLE.equals(SqlErrors.sqlState(e))) {
                return 0;
            }
            throw unavailable("could not count collection '" + collection + "'", e);
        }
    }

    @Override
    public List<SearchHit> search(String collection, float[] vector, int k) throws SinkUnavailableException {
        try {
            return search.search(collection, vector, k);
        } catch (PgvectorSearch.SearchException e) {
            if (e.getCause() instanceof SQLException sql && UNDEFINED_TABLE.equals(SqlErrors.sqlState(sql))) {
                return List.of();
            }
            throw new SinkUnavailableException(e.getMessage(), e);
        }
    }

    /** pgvector searches by keyword: see {@link PgvectorSearch#keywordSearch}. */
    @Override
    public Optional<String> keywordSearchRefusal() {
        return Optional.empty();
    }

    @Override
    public List<SearchHit> keywordSearch(String collection, String text, int k) throws SinkUnavailableException {
        try {
            return search.keywordSearch(collection, text, k);
        } catch (PgvectorSearch.SearchException e) {
            if (e.getCause() instanceof SQLException sql && UNDEFINED_TABLE.equals(SqlErrors.sqlState(sql))) {
                return List.of();
            }
            throw new SinkUnavailableException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        search.close();
        connection.close();
    }

    private static StoredDocument document(ResultSet rs) throws SQLException {
        Object vector = rs.getObject(4);
        return new StoredDocument(rs.getString(1), rs.getString(2), MetadataJson.parse(rs.getString(3)),
                vector == null ? null : ((PGvector) vector).toArray(), rs.getString(5), rs.getString(6),
                rs.getLong(7));
    }

    private SinkUnavailableException unavailable(String what, SQLException e) {
        connection.discard();
        return new SinkUnavailableException(SinkName.PGVECTOR + " sink " + what + " at " + config.safeUrl() + ": "
                + SqlErrors.describe(e), e);
    }
}
