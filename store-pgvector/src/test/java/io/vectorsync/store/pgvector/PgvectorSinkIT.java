package io.vectorsync.store.pgvector;

import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.sink.api.ApplyResult;
import io.vectorsync.sink.api.SinkUnavailableException;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.vectorsync.sink.contract.Documents.DIM;
import static io.vectorsync.sink.contract.Documents.TS;
import static io.vectorsync.sink.contract.Documents.assertStored;
import static io.vectorsync.sink.contract.Documents.mapping;
import static io.vectorsync.sink.contract.Documents.upsert;
import static io.vectorsync.sink.contract.Documents.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@ExtendWith(LocalServers.class)
/** pgvector specifics; what every sink promises is in {@code PgvectorContractIT}. */
class PgvectorSinkIT {

    private static Services servers;
    private static String database;
    private static PgvectorSinkConfig config;

    private PgvectorSink sink;
    private PgvectorReader reader;

    @BeforeAll
    static void freshDatabase() throws SQLException {
        servers = LocalServers.get();
        database = servers.freshDatabase("pgvector_it");
        config = configFor(servers.jdbcUrl(database));
    }

    @BeforeEach
    void open() {
        sink = new PgvectorSink(config, DIM);
        reader = new PgvectorReader(config);
    }

    @AfterEach
    void close() {
        sink.close();
        reader.close();
    }

    @Test
    void rowsKeepTheSourceCommitTimeAndADeleteLeavesATombstone() throws Exception {
        sink.prepare(mapping("crud"));
        EnrichedChange insert = upsert("crud", "1", "first text", Map.of("lang", "en"), vector(1), 10);
        EnrichedChange update = upsert("crud", "1", "second text", Map.of("lang", "de"), vector(2), 20);

        assertThat(sink.apply(List.of(insert))).isEqualTo(new ApplyResult(1, 0, List.of()));
        assertStored(reader, insert);
        assertThat(sourceTs("crud", "1")).isEqualTo(Instant.ofEpochMilli(TS + 10));

        assertThat(sink.apply(List.of(update))).isEqualTo(new ApplyResult(1, 0, List.of()));
        assertStored(reader, update);
        assertThat(sourceTs("crud", "1")).isEqualTo(Instant.ofEpochMilli(TS + 20));
        assertThat(reader.count("crud")).isEqualTo(1);

        assertThat(sink.apply(List.of(EnrichedChange.delete("crud", "1", 30, TS)))).isEqualTo(
                new ApplyResult(1, 0, List.of()));
        assertThat(reader.find("crud", "1")).isEmpty();
        assertThat(reader.count("crud")).isZero();
        assertThat(dump("crud__tombstones")).containsExactly("(1,30,\"2025-01-02 03:04:05.678+00\")");
    }

    @Test
    void replayLeavesRowsAndTombstonesUnchangedToTheByte() throws Exception {
        sink.prepare(mapping("replay"));
        sink.apply(List.of(upsert("replay", "gone", "to be deleted", Map.of(), vector(9), 1)));
        List<EnrichedChange> batch = List.of(
                upsert("replay", "a", "alpha", Map.of("n", 1), vector(1), 10),
                upsert("replay", "b", "beta", Map.of("n", 2), vector(2), 11),
                upsert("replay", "c", "", Map.of("n", 3), null, 12),
                EnrichedChange.delete("replay", "gone", 13, TS));

        assertThat(sink.apply(batch)).isEqualTo(new ApplyResult(4, 0, List.of()));
        List<String> rows = dump("replay");
        List<String> tombstones = dump("replay__tombstones");

        assertThat(sink.apply(batch)).isEqualTo(new ApplyResult(0, 4, List.of()));
        assertThat(dump("replay")).isEqualTo(rows).hasSize(3);
        assertThat(dump("replay__tombstones")).isEqualTo(tombstones)
                .containsExactly("(gone,13,\"2025-01-02 03:04:05.678+00\")");
        for (EnrichedChange change : batch.subList(0, 3)) {
            assertStored(reader, change);
        }
        assertThat(reader.find("replay", "gone")).isEmpty();
    }

    @Test
    void blankTextIsAnEmptyStringWithANullVector() throws Exception {
        sink.prepare(mapping("blank"));
        EnrichedChange blank = upsert("blank", "1", "", Map.of("empty", true), null, 10);

        assertThat(sink.apply(List.of(blank))).isEqualTo(new ApplyResult(1, 0, List.of()));

        assertStored(reader, blank);
        assertThat(reader.find("blank", "1").orElseThrow().embedding()).isNull();
        assertThat(dump("blank", "id, content = '', embedding IS NULL")).containsExactly("1,t,t");
    }

    @Test
    void changePostgresRejectsForItsDataIsRejectedAndTheRestApplied() throws Exception {
        sink.prepare(mapping("bad_data"));
        // A constraint someone added to the table: PostgreSQL refuses the row, nothing in the change is malformed.
        execute("ALTER TABLE \"public\".\"bad_data\" ADD CONSTRAINT no_secrets CHECK (content NOT LIKE 'secret%')");
        EnrichedChange good = upsert("bad_data", "1", "fine", Map.of(), vector(1), 10);
        EnrichedChange bad = upsert("bad_data", "2", "secret payload", Map.of(), vector(2), 11);
        EnrichedChange alsoGood = upsert("bad_data", "3", "fine too", Map.of(), vector(3), 12);

        ApplyResult result = sink.apply(List.of(good, bad, alsoGood));

        assertThat(result.applied()).isEqualTo(2);
        assertThat(result.skipped()).isZero();
        assertThat(result.rejected()).singleElement().satisfies(r -> {
            assertThat(r.change()).isEqualTo(bad);
            assertThat(r.reason()).isEqualTo("PostgreSQL rejected change bad_data/2: new row for relation"
                    + " \"bad_data\" violates check constraint \"no_secrets\" (SQLState 23514)");
        });
        assertStored(reader, good);
        assertStored(reader, alsoGood);
        assertThat(reader.count("bad_data")).isEqualTo(2);
    }

    @Test
    void lostConnectionThrowsSinkUnavailableAndTheNextBatchReconnects() throws Exception {
        sink.prepare(mapping("reconnect"));
        EnrichedChange first = upsert("reconnect", "1", "one", Map.of(), vector(1), 10);
        EnrichedChange second = upsert("reconnect", "2", "two", Map.of(), vector(2), 11);
        sink.apply(List.of(first));
        assertThat(terminateSinkConnections()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> sinkConnections() == 0);

        assertThatThrownBy(() -> sink.apply(List.of(second)))
                .isInstanceOf(SinkUnavailableException.class)
                .hasMessageStartingWith("pgvector sink could not apply a batch to collection 'reconnect': ")
                .hasMessageNotContaining("two");
        assertThat(reader.find("reconnect", "2")).isEmpty();

        assertThat(sink.apply(List.of(second))).isEqualTo(new ApplyResult(1, 0, List.of()));
        assertStored(reader, first);
        assertStored(reader, second);
    }

    @Test
    void prepareIsIdempotentAndSafeWhenTwoSinksRace() throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (PgvectorSink other = new PgvectorSink(config, DIM)) {
            List<Future<Void>> done = new ArrayList<>();
            for (PgvectorSink worker : List.of(sink, other)) {
                Callable<Void> prepare = () -> {
                    start.await(30, TimeUnit.SECONDS);
                    worker.prepare(mapping("raced"));
                    return null;
                };
                done.add(pool.submit(prepare));
            }
            for (Future<Void> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            sink.prepare(mapping("raced"));
        } finally {
            pool.shutdownNow();
        }

        assertThat(dump("pg_indexes", "indexname", "tablename IN ('raced', 'raced__tombstones')"))
                .containsExactlyInAnyOrder("raced__hnsw", "raced__id_c", "raced_pkey", "raced__tombstones_pkey",
                        "raced__tomb_ts", "raced__tsv");
        assertThat(sink.apply(List.of(upsert("raced", "1", "t", Map.of(), vector(1), 1))))
                .isEqualTo(new ApplyResult(1, 0, List.of()));
    }

    /** Whatever the database's collation, a page of a keyset scan reads an index, never sorts the whole table. */
    @Test
    void keysetPagesOfIdsReadTheBinaryOrderIndex() throws Exception {
        sink.prepare(mapping("keyset"));
        List<EnrichedChange> batch = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            batch.add(upsert("keyset", "doc-" + i, "text " + i, Map.of(), vector(i), 10 + i));
        }
        sink.apply(batch);
        execute("ANALYZE \"public\".\"keyset\"");
        PgvectorSchema schema = PgvectorSchema.of(config);

        String plan = String.join("\n", query("EXPLAIN " + schema.idsAfter("keyset")
                .replaceFirst("\\?", "'doc-1000'").replaceFirst("\\?", "100")));

        assertThat(plan).contains("Scan using keyset__id_c").doesNotContain("Sort");
        assertThat(reader.ids("keyset", "doc-1998", 3)).containsExactly("doc-1999", "doc-2", "doc-20");
    }

    @Test
    void prepareRefusesAnExistingTableOfAnotherDimension() throws Exception {
        sink.prepare(mapping("dims"));

        try (PgvectorSink smaller = new PgvectorSink(config, 3)) {
            assertThatThrownBy(() -> smaller.prepare(mapping("dims")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("pgvector table \"public\".\"dims\" holds 384-dimensional vectors but the pgvector"
                            + " sink is configured for 3: drop the table or use a new collection name");
        }
    }

    /** A table made before keyword search gets its tsvector column and GIN index at prepare, rows included. */
    @Test
    void anExistingTableGetsTheKeywordColumnAndItsIndexAtPrepare() throws Exception {
        execute("CREATE TABLE \"public\".\"legacy_kw\" (id text PRIMARY KEY, content text, metadata jsonb NOT NULL"
                + " DEFAULT '{}', embedding vector(" + DIM + "), model text, content_hash text, source_lsn bigint NOT"
                + " NULL, source_ts timestamptz, updated_at timestamptz NOT NULL DEFAULT now())");
        execute("INSERT INTO \"public\".\"legacy_kw\" (id, content, source_lsn) VALUES"
                + " ('old', 'Order PX-7731 shipped late', 5), ('other', 'nothing to see', 6)");

        sink.prepare(mapping("legacy_kw"));

        assertThat(query("SELECT indexdef FROM pg_indexes WHERE indexname = 'legacy_kw__tsv'"))
                .containsExactly("CREATE INDEX legacy_kw__tsv ON public.legacy_kw USING gin (content_tsv)");
        assertThat(query("SELECT indisvalid::text FROM pg_index WHERE indexrelid = 'legacy_kw__tsv'::regclass"))
                .containsExactly("true");
        assertThat(reader.keywordSearch("legacy_kw", "PX-7731", 5)).extracting(h -> h.id()).containsExactly("old");
        // A second prepare (another worker, a restart) finds everything in place.
        sink.prepare(mapping("legacy_kw"));
        assertThat(reader.keywordSearch("legacy_kw", "shipped", 5)).extracting(h -> h.id()).containsExactly("old");
    }

    /** An index an interrupted concurrent build left invalid is dropped and built again. */
    @Test
    void anInvalidKeywordIndexIsBuiltAgain() throws Exception {
        sink.prepare(mapping("invalid_kw"));
        execute("UPDATE pg_index SET indisvalid = false WHERE indexrelid = '\"public\".\"invalid_kw__tsv\"'::regclass");

        sink.prepare(mapping("invalid_kw"));

        assertThat(query("SELECT indisvalid::text FROM pg_index WHERE indexrelid = 'invalid_kw__tsv'::regclass"))
                .containsExactly("true");
    }

    @Test
    void anUnknownTextSearchConfigurationIsAConfigurationErrorNamingTheKey() {
        ConfigReader raw = new ConfigReader(Map.of("sink.pgvector.url", config.url(),
                "sink.pgvector.text.search.config", "klingon"));
        PgvectorSinkConfig klingon = PgvectorSinkConfig.from(raw);
        raw.finish();

        try (PgvectorSink bad = new PgvectorSink(klingon, DIM)) {
            assertThatThrownBy(() -> bad.prepare(mapping("klingon_kw")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("'sink.pgvector.text.search.config' was 'klingon' but the pgvector database at "
                            + config.safeUrl() + " has no such text search configuration (see pg_ts_config; english"
                            + " and simple are built in)");
        }
    }

    @Test
    void aTableGeneratedWithAnotherTextSearchConfigurationIsRefusedNamingTheColumn() throws Exception {
        sink.prepare(mapping("english_kw"));
        ConfigReader raw = new ConfigReader(Map.of("sink.pgvector.url", config.url(),
                "sink.pgvector.text.search.config", "simple"));
        PgvectorSinkConfig simple = PgvectorSinkConfig.from(raw);
        raw.finish();

        try (PgvectorSink other = new PgvectorSink(simple, DIM)) {
            assertThatThrownBy(() -> other.prepare(mapping("english_kw")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("pgvector table \"public\".\"english_kw\" has its content_tsv column in text search"
                            + " configuration 'english' but sink.pgvector.text.search.config is 'simple': run ALTER"
                            + " TABLE \"public\".\"english_kw\" DROP COLUMN content_tsv to have it generated again"
                            + " (the table is rewritten once), or set the key back");
            execute("ALTER TABLE \"public\".\"english_kw\" DROP COLUMN content_tsv");
            other.prepare(mapping("english_kw"));
        }
        assertThat(query("SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a ON"
                + " a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = '\"public\".\"english_kw\"'::regclass"
                + " AND a.attname = 'content_tsv'")).singleElement().asString().contains("'simple'::regconfig");
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static PgvectorSinkConfig configFor(String url) {
        ConfigReader reader = new ConfigReader(Map.of("sink.pgvector.url", url));
        PgvectorSinkConfig config = PgvectorSinkConfig.from(reader);
        reader.finish();
        return config;
    }

    private static Instant sourceTs(String collection, String id) throws SQLException {
        try (Connection c = servers.connect(database);
             PreparedStatement ps = c.prepareStatement("SELECT source_ts FROM \"public\".\"" + collection
                     + "\" WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getObject(1, OffsetDateTime.class).toInstant();
            }
        }
    }

    /** Every row of a table as PostgreSQL's row text, ordered: the exact stored state, updated_at included. */
    private static List<String> dump(String table) throws SQLException {
        return query("SELECT t::text FROM \"public\".\"" + table + "\" t ORDER BY 1");
    }

    private static List<String> dump(String table, String columns) throws SQLException {
        return query("SELECT concat_ws(',', " + columns + ") FROM \"public\".\"" + table + "\" ORDER BY 1");
    }

    private static List<String> dump(String catalog, String columns, String where) throws SQLException {
        return query("SELECT " + columns + " FROM " + catalog + " WHERE " + where + " ORDER BY 1");
    }

    private static List<String> query(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = servers.connect(database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = servers.connect(database); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static int terminateSinkConnections() throws SQLException {
        return countSinkConnections("count(*) FILTER (WHERE pg_terminate_backend(pid))");
    }

    private static int sinkConnections() throws SQLException {
        return countSinkConnections("count(*)");
    }

    private static int countSinkConnections(String count) throws SQLException {
        try (Connection c = servers.connect(database);
             PreparedStatement ps = c.prepareStatement("SELECT " + count
                     + " FROM pg_stat_activity WHERE datname = ? AND application_name = ?")) {
            ps.setString(1, database);
            ps.setString(2, PgvectorSink.APPLICATION_NAME);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
