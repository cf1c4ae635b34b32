package io.vectorsync.sink.pgvector;

import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.TableId;
import io.vectorsync.core.model.TextTemplate;
import io.vectorsync.sink.api.ApplyResult;
import io.vectorsync.sink.api.ApplyResult.Rejected;
import io.vectorsync.sink.api.SinkUnavailableException;
import io.vectorsync.sink.api.StoredDocument;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@ExtendWith(LocalServers.class)
class PgvectorSinkIT {
    private static final int DIM = 384;
    private static final long TS = Instant.parse("2025-01-02T03:04:05.678Z").toEpochMilli();

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
    void insertThenUpdateThenDelete() throws Exception {
        sink.prepare(mapping("crud"));
        EnrichedChange insert = upsert("crud", "1", "first text", Map.of("lang", "en"), vector(1), 10);
        EnrichedChange update = upsert("crud", "1", "second text", Map.of("lang", "de"), vector(2), 20);

        assertThat(sink.apply(List.of(insert))).isEqualTo(new ApplyResult(1, 0, List.of()));
        assertStored(insert);
        assertThat(sourceTs("crud", "1")).isEqualTo(Instant.ofEpochMilli(TS + 10));

        assertThat(sink.apply(List.of(update))).isEqualTo(new ApplyResult(1, 0, List.of()));
        assertStored(update);
        assertThat(sourceTs("crud", "1")).isEqualTo(Instant.ofEpochMilli(TS + 20));
        assertThat(reader.count("crud")).isEqualTo(1);

        assertThat(sink.apply(List.of(EnrichedChange.delete("crud", "1", 30, TS)))).isEqualTo(
                new ApplyResult(1, 0, List.of()));
        assertThat(reader.find("crud", "1")).isEmpty();
        assertThat(reader.count("crud")).isZero();
        assertThat(dump("crud__tombstones")).containsExactly("(1,30)");
    }

    @Test
    void replayingTheSameBatchChangesNothing() throws Exception {
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
        assertThat(dump("replay__tombstones")).isEqualTo(tombstones).containsExactly("(gone,13)");
        for (EnrichedChange change : batch.subList(0, 3)) {
            assertStored(change);
        }
        assertThat(reader.find("replay", "gone")).isEmpty();
    }

    @Test
    void olderLsnNeverOverwritesNewerRow() throws Exception {
        sink.prepare(mapping("older"));
        EnrichedChange newer = upsert("older", "1", "newer text", Map.of("v", "new"), vector(2), 20);
        EnrichedChange older = upsert("older", "1", "older text", Map.of("v", "old"), vector(1), 10);
        sink.apply(List.of(newer));

        assertThat(sink.apply(List.of(older))).isEqualTo(new ApplyResult(0, 1, List.of()));
        assertThat(sink.apply(List.of(EnrichedChange.delete("older", "1", 15, TS))))
                .isEqualTo(new ApplyResult(0, 1, List.of()));

        assertStored(newer);
        assertThat(reader.count("older")).isEqualTo(1);
        assertThat(dump("older__tombstones")).isEmpty();
    }

    @Test
    void replayedInsertOlderThanADeleteDoesNotResurrectTheRow() throws Exception {
        sink.prepare(mapping("resurrect"));
        EnrichedChange insert = upsert("resurrect", "1", "text", Map.of(), vector(1), 10);
        sink.apply(List.of(insert));
        sink.apply(List.of(EnrichedChange.delete("resurrect", "1", 20, TS)));

        assertThat(sink.apply(List.of(insert))).isEqualTo(new ApplyResult(0, 1, List.of()));
        assertThat(reader.find("resurrect", "1")).isEmpty();
        assertThat(reader.count("resurrect")).isZero();
        assertThat(dump("resurrect__tombstones")).containsExactly("(1,20)");

        EnrichedChange reinsert = upsert("resurrect", "1", "back again", Map.of(), vector(3), 30);
        assertThat(sink.apply(List.of(reinsert))).isEqualTo(new ApplyResult(1, 0, List.of()));
        assertStored(reinsert);
    }

    @Test
    void batchOfTenThousandIsAppliedCompletely() throws Exception {
        sink.prepare(mapping("bulk"));
        List<EnrichedChange> batch = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            batch.add(upsert("bulk", "doc-" + i, "text number " + i, Map.of("i", i), vector(i), 1_000 + i));
        }

        assertThat(sink.apply(batch)).isEqualTo(new ApplyResult(10_000, 0, List.of()));

        assertThat(reader.count("bulk")).isEqualTo(10_000);
        for (int i : new int[] {0, 1, 4_999, 9_998, 9_999}) {
            assertStored(batch.get(i));
        }
        assertThat(dump("bulk", "count(*) FILTER (WHERE embedding IS NOT NULL AND vector_dims(embedding) = 384)"))
                .containsExactly("10000");
    }

    @Test
    void unicodeAndEmojiTextIsStoredExactly() throws Exception {
        sink.prepare(mapping("unicode"));
        String text = "Grüße aus Köln — 東京タワー, Ελληνικά, עברית, e\u0301 combining, 👩🏽‍💻 🚀🇺🇦, 𝔘𝔫𝔦𝔠𝔬𝔡𝔢";
        Map<String, Object> metadata = Map.of("title 🏷️", "naïve café ☕", "城市", "北京");
        EnrichedChange change = upsert("unicode", "ключ-🔑", text, metadata, vector(7), 10);

        assertThat(sink.apply(List.of(change))).isEqualTo(new ApplyResult(1, 0, List.of()));

        StoredDocument stored = reader.find("unicode", "ключ-🔑").orElseThrow();
        assertThat(stored.content()).isEqualTo(text);
        assertThat(stored.metadata()).isEqualTo(metadata);
        assertStored(change);
    }

    @Test
    void blankTextIsStoredWithoutAVector() throws Exception {
        sink.prepare(mapping("blank"));
        EnrichedChange blank = upsert("blank", "1", "", Map.of("empty", true), null, 10);

        assertThat(sink.apply(List.of(blank))).isEqualTo(new ApplyResult(1, 0, List.of()));

        assertStored(blank);
        assertThat(reader.find("blank", "1").orElseThrow().embedding()).isNull();
        assertThat(dump("blank", "id, content = '', embedding IS NULL")).containsExactly("1,t,t");
    }

    @Test
    void nestedJsonMetadataRoundTrips() throws Exception {
        sink.prepare(mapping("nested"));
        Map<String, Object> author = new LinkedHashMap<>();
        author.put("name", "Ada");
        author.put("tags", List.of("math", "engines"));
        author.put("age", 36);
        author.put("score", 1.5);
        author.put("active", true);
        author.put("nothing", null);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("author", author);
        metadata.put("list", List.of(1, List.of(2, 3), Map.of("k", "v")));
        metadata.put("big", 9_007_199_254_740_993L);
        metadata.put("empty", Map.of());
        EnrichedChange change = upsert("nested", "1", "text", metadata, vector(1), 10);

        sink.apply(List.of(change));

        assertThat(reader.find("nested", "1").orElseThrow().metadata()).isEqualTo(metadata);
        assertThat(dump("nested", "metadata #>> '{author,tags,1}', jsonb_typeof(metadata -> 'author' -> 'nothing')"))
                .containsExactly("engines,null");
        assertStored(change);
    }

    @Test
    void wrongDimensionIsRejectedNamingCollectionExpectedAndActual() throws Exception {
        sink.prepare(mapping("articles"));
        EnrichedChange before = upsert("articles", "41", "fine", Map.of(), vector(41), 10);
        EnrichedChange wrong = upsert("articles", "42", "short vector", Map.of(), new float[] {1f, 2f, 3f}, 11);
        EnrichedChange after = upsert("articles", "43", "fine too", Map.of(), vector(43), 12);

        ApplyResult result = sink.apply(List.of(before, wrong, after));

        assertThat(result).isEqualTo(new ApplyResult(2, 0, List.of(new Rejected(wrong,
                "collection 'articles' expects 384-dimensional vectors but change articles/42 carries 3"))));
        assertStored(before);
        assertStored(after);
        assertThat(reader.find("articles", "42")).isEmpty();
        assertThat(reader.count("articles")).isEqualTo(2);
    }

    @Test
    void lastChangeOfADocumentInABatchWins() throws Exception {
        sink.prepare(mapping("last_wins"));
        EnrichedChange finalInsert = upsert("last_wins", "a", "fourth", Map.of("step", 4), vector(4), 4);
        List<EnrichedChange> batch = List.of(
                upsert("last_wins", "a", "first", Map.of("step", 1), vector(1), 1),
                upsert("last_wins", "b", "only b", Map.of(), vector(10), 1),
                upsert("last_wins", "a", "second", Map.of("step", 2), vector(2), 2),
                EnrichedChange.delete("last_wins", "b", 2, TS),
                EnrichedChange.delete("last_wins", "a", 3, TS),
                finalInsert);

        assertThat(sink.apply(batch)).isEqualTo(new ApplyResult(2, 4, List.of()));

        assertStored(finalInsert);
        assertThat(reader.find("last_wins", "b")).isEmpty();
        assertThat(reader.count("last_wins")).isEqualTo(1);
        assertThat(dump("last_wins__tombstones")).containsExactly("(b,2)");
    }

    @Test
    void changePostgresRejectsForItsDataIsRejectedAndTheRestApplied() throws Exception {
        sink.prepare(mapping("bad_data"));
        EnrichedChange good = upsert("bad_data", "1", "fine", Map.of(), vector(1), 10);
        float[] nan = vector(2);
        nan[5] = Float.NaN;
        EnrichedChange bad = upsert("bad_data", "2", "secret payload", Map.of(), nan, 11);
        EnrichedChange alsoGood = upsert("bad_data", "3", "fine too", Map.of(), vector(3), 12);

        ApplyResult result = sink.apply(List.of(good, bad, alsoGood));

        assertThat(result.applied()).isEqualTo(2);
        assertThat(result.skipped()).isZero();
        assertThat(result.rejected()).singleElement().satisfies(r -> {
            assertThat(r.change()).isEqualTo(bad);
            assertThat(r.reason()).isEqualTo("PostgreSQL rejected change bad_data/2: NaN not allowed in vector"
                    + " (SQLState 22000)");
        });
        assertStored(good);
        assertStored(alsoGood);
        assertThat(reader.count("bad_data")).isEqualTo(2);
    }

    @Test
    void databaseUnreachableThrowsSinkUnavailable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        PgvectorSinkConfig unreachable = configFor("jdbc:postgresql://127.0.0.1:" + closedPort + "/vectors");

        try (PgvectorSink offline = new PgvectorSink(unreachable, DIM)) {
            assertThatThrownBy(() -> offline.prepare(mapping("articles")))
                    .isInstanceOf(SinkUnavailableException.class)
                    .hasMessageStartingWith("pgvector sink could not prepare collection 'articles': cannot connect"
                            + " to jdbc:postgresql://127.0.0.1:" + closedPort + "/vectors");
        }
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
        assertStored(first);
        assertStored(second);
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
                .containsExactlyInAnyOrder("raced__hnsw", "raced_pkey", "raced__tombstones_pkey");
        assertThat(sink.apply(List.of(upsert("raced", "1", "t", Map.of(), vector(1), 1))))
                .isEqualTo(new ApplyResult(1, 0, List.of()));
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

    // ---- helpers ------------------------------------------------------------------------------------

    private static PgvectorSinkConfig configFor(String url) {
        ConfigReader reader = new ConfigReader(Map.of("sink.pgvector.url", url));
        PgvectorSinkConfig config = PgvectorSinkConfig.from(reader);
        reader.finish();
        return config;
    }

    private static CollectionMapping mapping(String name) {
        return new CollectionMapping(name, new TableId("public", name), List.of("id"), TextTemplate.parse("{body}"),
                List.of(), Set.of(SinkName.PGVECTOR));
    }

    private static EnrichedChange upsert(String collection, String id, String content, Map<String, Object> metadata,
                                         float[] embedding, long lsn) {
        return new EnrichedChange(collection, id, EnrichedChange.Kind.UPSERT, content, metadata, embedding,
                "all-minilm-l6-v2-q", sha256(content), lsn, TS + lsn);
    }

    /** Deterministic, distinct per seed, with values that are not round in binary. */
    private static float[] vector(int seed) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) Math.sin(seed * 31.0 + i * 0.7) / 3f;
        }
        return v;
    }

    private void assertStored(EnrichedChange change) throws SinkUnavailableException {
        Optional<StoredDocument> stored = reader.find(change.collection(), change.id());
        assertThat(stored).as("stored %s", change.documentKey()).isPresent();
        assertThat(stored.get()).usingRecursiveComparison().isEqualTo(new StoredDocument(change.id(),
                change.content(), change.metadata(), change.embedding(), change.model(), change.contentHash(),
                change.lsn()));
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

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
