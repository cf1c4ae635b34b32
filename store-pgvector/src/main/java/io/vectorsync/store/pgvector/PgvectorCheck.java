package io.vectorsync.store.pgvector;

import io.vectorsync.sink.preflight.CheckResult;
import io.vectorsync.sink.preflight.Postgres;
import io.vectorsync.sink.preflight.StoreCheck;
import io.vectorsync.sink.preflight.StoreDimensions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The pgvector database: reachable, the {@code vector} extension installed or at least available, and each
 * collection's table absent or holding vectors of the configured dimension.
 */
final class PgvectorCheck extends StoreCheck {
    private static final String INSTALLED = "SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'vector'";
    private static final String AVAILABLE = """
            SELECT default_version FROM pg_catalog.pg_available_extensions WHERE name = 'vector'""";
    private static final String TABLE_EXISTS = "SELECT to_regclass(?) IS NOT NULL";

    private final PgvectorSinkConfig config;

    PgvectorCheck(PgvectorSinkConfig config, List<String> collections, int dimension, Duration timeout) {
        super(collections, dimension, timeout);
        this.config = config;
    }

    @Override
    public String group() {
        return "pgvector";
    }

    @Override
    public String target() {
        return "pgvector at " + config.safeUrl();
    }

    @Override
    public List<CheckResult> run() throws SQLException {
        Connection connection;
        try {
            connection = Postgres.connect(config.url(), config.user(), config.password(), config.tls(), timeout);
        } catch (SQLException e) {
            String url = PgvectorSinkConfig.URL.name();
            return List.of(Postgres.unreachable("pgvector.reachable", config.safeUrl(), e, url,
                    PgvectorSinkConfig.USER.name() + " / " + PgvectorSinkConfig.PASSWORD.name(), url, "sink.pgvector."));
        }
        List<CheckResult> rows = new ArrayList<>();
        try (Connection c = connection) {
            String database = c.getCatalog();
            int major = c.getMetaData().getDatabaseMajorVersion();
            rows.add(CheckResult.ok("pgvector.reachable", "PostgreSQL " + c.getMetaData().getDatabaseProductVersion()
                    + " at " + config.safeUrl() + " as " + config.user()));
            rows.add(extension(database, major, text(c, INSTALLED), text(c, AVAILABLE)));
            rows.add(textSearch(database, config.textSearchConfig(), textSearchConfigs(c)));
            PgvectorSchema schema = PgvectorSchema.of(config);
            for (String collection : collections) {
                rows.add(table(c, schema, collection));
            }
        }
        return rows;
    }

    /** Pure: the extension's state in the sink's database. */
    static CheckResult extension(String database, int serverMajor, Optional<String> installed,
                                 Optional<String> available) {
        String check = "pgvector.extension";
        if (installed.isPresent()) {
            return CheckResult.ok(check, "extension vector " + installed.get() + " installed in database "
                    + database);
        }
        if (available.isPresent()) {
            return CheckResult.warn(check, "extension vector " + available.get() + " is available but not installed"
                            + " in database " + database + ": the sink creates it at start",
                    "none if the sink's user may create extensions; otherwise run CREATE EXTENSION vector in "
                            + database + " as a superuser");
        }
        return CheckResult.fail(check, "the pgvector extension is not installed on this PostgreSQL server",
                "CREATE EXTENSION vector (install pgvector: apt-get install postgresql-" + serverMajor
                        + "-pgvector, or build it from https://github.com/pgvector/pgvector), then run CREATE"
                        + " EXTENSION vector in " + database);
    }

    /** Pure: whether the keyword search's text search configuration exists among the database's. */
    static CheckResult textSearch(String database, String wanted, List<String> available) {
        String check = "pgvector.text_search";
        if (available.contains(wanted)) {
            return CheckResult.ok(check, "text search configuration " + wanted + " (" + PgvectorSinkConfig
                    .TEXT_SEARCH_CONFIG.name() + ") exists in database " + database);
        }
        return CheckResult.fail(check, "database " + database + " has no text search configuration '" + wanted
                        + "' (" + PgvectorSinkConfig.TEXT_SEARCH_CONFIG.name() + ")",
                "set " + PgvectorSinkConfig.TEXT_SEARCH_CONFIG.name() + " to one of " + String.join(", ", available));
    }

    private static List<String> textSearchConfigs(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT cfgname FROM pg_catalog.pg_ts_config ORDER BY cfgname")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private CheckResult table(Connection c, PgvectorSchema schema, String collection) throws SQLException {
        String check = "pgvector.table:" + collection;
        String table;
        try {
            table = schema.table(collection);
        } catch (IllegalArgumentException e) {
            return CheckResult.fail(check, e.getMessage(), "give the collection a shorter name");
        }
        boolean exists;
        try (PreparedStatement s = c.prepareStatement(TABLE_EXISTS)) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                exists = rs.getBoolean(1);
            }
        }
        Integer declared = null;
        if (exists) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    schema.embeddingDimension(collection))) {
                declared = rs.next() ? rs.getInt(1) : null;
            }
        }
        return StoreDimensions.existing(check, "pgvector table " + table, exists, declared, dimension,
                "DROP TABLE " + table + " (and " + schema.tombstoneTable(collection) + ")");
    }

    private static Optional<String> text(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
        }
    }
}
