package io.vectorsync.store.pgvector;

import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.vectorsync.sink.contract.Documents.DIM;
import static io.vectorsync.sink.contract.Documents.mapping;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Index builds on a collection table that already holds rows never block writes: the sink builds its indexes with
 * {@code CREATE INDEX CONCURRENTLY}, and rebuilds one a failed concurrent build left INVALID. Sequenced through
 * {@code pg_stat_activity} (the build waiting on a lock), never through sleeps.
 */
@ExtendWith(LocalServers.class)
class PgvectorIndexBuildIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int ROWS = 5_000;

    private static Services servers;
    private static String database;
    private static PgvectorSinkConfig config;

    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private PgvectorSink sink;

    @BeforeAll
    static void freshDatabase() throws SQLException {
        servers = LocalServers.get();
        database = servers.freshDatabase("pgvector_index_it");
        ConfigReader reader = new ConfigReader(Map.of("sink.pgvector.url", servers.jdbcUrl(database)));
        config = PgvectorSinkConfig.from(reader);
        reader.finish();
    }

    @BeforeEach
    void open() {
        sink = new PgvectorSink(config, DIM);
    }

    @AfterEach
    void close() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        sink.close();
    }

    /**
     * A table made before the {@code __id_c} index existed gets it on the next prepare. The build waits for a writer
     * whose transaction is open; meanwhile another writer's insert must commit, which a plain {@code CREATE INDEX}
     * (a SHARE lock queued before it) would hold until the build ended.
     */
    @Test
    void buildingTheIdIndexOnATableWithRowsLetsAConcurrentInsertCommit() throws Exception {
        sink.prepare(mapping("busy"));
        execute("INSERT INTO \"public\".\"busy\" (id, content, source_lsn) SELECT 'doc-' || g, 'text ' || g, g"
                + " FROM generate_series(1, " + ROWS + ") g");
        execute("DROP INDEX \"public\".\"busy__id_c\"");

        try (Connection openWriter = servers.connect(database); Statement w = openWriter.createStatement()) {
            openWriter.setAutoCommit(false);
            w.execute("INSERT INTO \"public\".\"busy\" (id, content, source_lsn) VALUES ('open', 'open', 0)");
            try (PgvectorSink builder = new PgvectorSink(config, DIM)) {
                Future<Void> build = pool.submit(() -> {
                    builder.prepare(mapping("busy"));
                    return null;
                });
                await("the index build waiting on the open writer").atMost(WAIT)
                        .until(() -> build.isDone() || buildWaitsOnALock());
                assertThat(build.isDone()).as("the build ended before the open writer committed").isFalse();

                CompletableFuture<Void> insert = CompletableFuture.runAsync(() -> execute(
                        "INSERT INTO \"public\".\"busy\" (id, content, source_lsn) VALUES ('during', 'during', 0)"),
                        pool);
                await("the insert made while the index is built").atMost(WAIT).until(insert::isDone);
                insert.get();
                assertThat(build.isDone()).as("the build is still waiting when the insert committed").isFalse();
                assertThat(count("id = 'during'")).isEqualTo(1);

                openWriter.commit();
                build.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        }

        assertThat(count("true")).isEqualTo(ROWS + 2);
        assertThat(indexes("busy")).containsExactly(
                "busy__hnsw valid", "busy__id_c valid", "busy__tsv valid", "busy_pkey valid");
        assertThat(indexDefinition("busy__id_c"))
                .isEqualTo("CREATE INDEX busy__id_c ON public.busy USING btree (id COLLATE \"C\")");
    }

    /** A concurrent build that failed leaves an INVALID index behind; the next prepare drops and rebuilds it. */
    @Test
    void anInvalidIndexLeftByAFailedConcurrentBuildIsDroppedAndRebuilt() throws Exception {
        sink.prepare(mapping("broken"));
        execute("INSERT INTO \"public\".\"broken\" (id, content, source_lsn) SELECT 'doc-' || g, 'same', g"
                + " FROM generate_series(1, 100) g");
        execute("DROP INDEX \"public\".\"broken__id_c\"");
        // A unique build over duplicate values fails after creating the index: PostgreSQL leaves it INVALID.
        assertThatThrownBy(() -> executeChecked(
                "CREATE UNIQUE INDEX CONCURRENTLY \"broken__id_c\" ON \"public\".\"broken\" (content)"))
                .isInstanceOf(SQLException.class).hasMessageContaining("could not create unique index");
        assertThat(indexes("broken")).contains("broken__id_c INVALID");

        sink.prepare(mapping("broken"));

        assertThat(indexes("broken")).containsExactly(
                "broken__hnsw valid", "broken__id_c valid", "broken__tsv valid", "broken_pkey valid");
        assertThat(indexDefinition("broken__id_c"))
                .isEqualTo("CREATE INDEX broken__id_c ON public.broken USING btree (id COLLATE \"C\")");
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /** An index build of the sink waits on a lock (the open writer's): it cannot finish yet. */
    private static boolean buildWaitsOnALock() throws SQLException {
        List<String> waiting = query("SELECT query FROM pg_stat_activity WHERE datname = current_database()"
                + " AND wait_event_type = 'Lock' AND query ILIKE 'CREATE INDEX%\"busy\"%'");
        return !waiting.isEmpty();
    }

    private static List<String> indexes(String table) throws SQLException {
        return query("SELECT c.relname || CASE WHEN i.indisvalid THEN ' valid' ELSE ' INVALID' END"
                + " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                + " WHERE i.indrelid = '\"public\".\"" + table + "\"'::regclass ORDER BY c.relname COLLATE \"C\"");
    }

    private static String indexDefinition(String index) throws SQLException {
        return query("SELECT pg_get_indexdef('\"public\".\"" + index + "\"'::regclass)").get(0);
    }

    private static long count(String where) throws SQLException {
        return Long.parseLong(query("SELECT count(*) FROM \"public\".\"busy\" WHERE " + where).get(0));
    }

    private static List<String> query(String sql) throws SQLException {
        try (Connection c = servers.connect(database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    private static void execute(String sql) {
        try {
            executeChecked(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static void executeChecked(String sql) throws SQLException {
        try (Connection c = servers.connect(database); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
