package io.vectorsync.store.milvus;

import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.common.DataType;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq.CollectionSchema;
import io.milvus.v2.service.collection.request.DescribeCollectionReq;
import io.milvus.v2.service.index.request.ListIndexesReq;
import io.milvus.v2.service.utility.request.FlushReq;
import io.milvus.v2.service.vector.request.QueryReq;
import io.milvus.v2.service.vector.response.QueryResp.QueryResult;
import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.sink.api.ApplyResult.Rejected;
import io.vectorsync.sink.api.ApplyResult;
import io.vectorsync.sink.api.SearchHit;
import io.vectorsync.sink.api.SinkReaders;
import io.vectorsync.sink.api.SinkUnavailableException;
import io.vectorsync.sink.api.StoredDocument;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

@ExtendWith(LocalServers.class)
class MilvusSinkIT {

    private static String uri;
    private static MilvusSinkConfig config;
    /** A plain client for looking at what the sink stored, tombstones included. */
    private static MilvusClientV2 inspector;

    /** Every collection of this class run starts with this, so runs against the same server never meet. */
    private final String prefix = "it_" + Services.uniqueSuffix() + "_";
    private MilvusSink sink;
    private MilvusReader reader;

    @BeforeAll
    static void connect() {
        uri = LocalServers.get().milvusUri();
        config = configFor(uri, Map.of());
        inspector = new MilvusClientV2(ConnectConfig.builder().uri(uri).rpcDeadlineMs(30_000).build());
    }

    @AfterAll
    static void disconnect() {
        inspector.close();
    }

    @BeforeEach
    void open() {
        sink = new MilvusSink(config, DIM);
        reader = new MilvusReader(config);
    }

    @AfterEach
    void close() {
        sink.close();
        reader.close();
    }

    @Test
    void sameLsnIsWrittenOnlyWhenTheDocumentDiffers() throws Exception {
        String c = prepared("same_lsn");
        EnrichedChange first = upsert(c, "1", "text", Map.of("v", 1), vector(1), 10);
        EnrichedChange reembedded = upsert(c, "1", "text", Map.of("v", 1), vector(2), 10);
        sink.apply(List.of(first));

        assertThat(sink.apply(List.of(first))).isEqualTo(new ApplyResult(0, 1, List.of()));
        assertThat(sink.apply(List.of(reembedded))).isEqualTo(new ApplyResult(1, 0, List.of()));
        assertStored(reader, reembedded);
    }

    @Test
    void deleteOfADocumentNeverSeenIsRememberedAndReplayedAsSkipped() throws Exception {
        String c = prepared("unseen");

        assertThat(sink.apply(List.of(EnrichedChange.delete(c, "x", 5, TS)))).isEqualTo(
                new ApplyResult(1, 0, List.of()));
        assertThat(sink.apply(List.of(EnrichedChange.delete(c, "x", 5, TS)))).isEqualTo(
                new ApplyResult(0, 1, List.of()));
        assertThat(sink.apply(List.of(upsert(c, "x", "late insert", Map.of(), vector(1), 4))))
                .isEqualTo(new ApplyResult(0, 1, List.of()));
        assertThat(tombstones(c)).containsExactly("(x,5)");
        assertThat(reader.count(c)).isZero();
    }

    @Test
    void unicodeEmojiAndQuotesInIdsAndTextAreStoredExactly() throws Exception {
        String c = prepared("unicode");
        String text = "Grüße aus Köln — 東京タワー, Ελληνικά, עברית, e\u0301 combining, 👩🏽‍💻 🚀🇺🇦, 𝔘𝔫𝔦𝔠𝔬𝔡𝔢";
        Map<String, Object> metadata = Map.of("title 🏷️", "naïve café ☕", "城市", "北京");
        List<EnrichedChange> changes = new ArrayList<>();
        int seed = 0;
        for (String id : List.of("ключ-🔑", "q\"uote", "back\\slash", "it's", "new\nline", "tab\t", "nul\u0001",
                "a'b\"c\\d\"]", "\" || id != \"")) {
            changes.add(upsert(c, id, text, metadata, vector(++seed), 10));
        }

        assertThat(sink.apply(changes)).isEqualTo(new ApplyResult(changes.size(), 0, List.of()));

        StoredDocument stored = reader.find(c, "ключ-🔑").orElseThrow();
        assertThat(stored.content()).isEqualTo(text);
        assertThat(stored.metadata()).isEqualTo(metadata);
        for (EnrichedChange change : changes) {
            assertStored(reader, change);
        }
        assertThat(reader.count(c)).isEqualTo(changes.size());
        EnrichedChange gone = EnrichedChange.delete(c, "\" || id != \"", 11, TS);
        assertThat(sink.apply(List.of(gone))).isEqualTo(new ApplyResult(1, 0, List.of()));
        assertThat(reader.count(c)).isEqualTo(changes.size() - 1);
    }

    @Test
    void textOrMetadataTooLongForMilvusIsRejectedAndTheRestApplied() throws Exception {
        String c = prepared("limits");
        EnrichedChange good = upsert(c, "1", "fine", Map.of(), vector(1), 10);
        EnrichedChange longText = upsert(c, "2", "é".repeat(40_000), Map.of(), vector(2), 11);
        EnrichedChange longMetadata = upsert(c, "3", "text", Map.of("k", "v".repeat(70_000)), vector(3), 12);
        // 512 characters but 1,024 bytes: the longest id any sink takes fits Milvus's byte-counted key.
        EnrichedChange longId = upsert(c, "я".repeat(512), "text", Map.of(), vector(4), 13);

        ApplyResult result = sink.apply(List.of(good, longText, longMetadata, longId));

        assertThat(result).isEqualTo(new ApplyResult(2, 0, List.of(
                new Rejected(longText, "milvus cannot store change " + c + "/2: its content is 80000 bytes (UTF-8)"
                        + " but collection '" + c + "' allows at most 65535"),
                new Rejected(longMetadata, "milvus cannot store change " + c + "/3: its metadata is 70008 bytes"
                        + " (UTF-8) but collection '" + c + "' allows at most 65536"))));
        assertStored(reader, good);
        assertStored(reader, longId);
        assertThat(reader.count(c)).isEqualTo(2);
    }

    @Test
    void searchFindsTheNearestDocumentsAndNeverABlankOne() throws Exception {
        String c = prepared("search");
        sink.apply(List.of(upsert(c, "near", "a", Map.of(), vector(7), 1), upsert(c, "far", "b", Map.of(), vector(90), 2),
                upsert(c, "blank", "", Map.of(), null, 3)));

        List<SearchHit> hits = reader.search(c, vector(7), 3);

        assertThat(hits).extracting(SearchHit::id).containsExactly("near", "far");
        assertThat(hits.get(0).score()).isGreaterThan(0.999);
    }

    @Test
    void readerSeesNothingInACollectionThatDoesNotExist() throws Exception {
        assertThat(reader.count(prefix + "missing")).isZero();
        assertThat(reader.find(prefix + "missing", "1")).isEmpty();
        assertThat(reader.findAll(prefix + "missing", List.of("1", "2"))).isEmpty();
        assertThat(reader.ids(prefix + "missing", null, 10)).isEmpty();
    }

    /**
     * The keyset scan relies on Milvus returning a limited query in primary-key order: checked across sealed segments
     * that each hold every third id (so their rows interleave), a growing segment, and pages larger than the
     * {@value MilvusSchema#MAX_QUERY_LIMIT} rows one query may return.
     */
    @Test
    void idsAreInKeyOrderAcrossSegmentsAndPagesLargerThanOneQuery() throws Exception {
        String c = prepared("ids_segments");
        int total = MilvusSchema.MAX_QUERY_LIMIT + 1_000;
        List<String> expected = new ArrayList<>();
        for (int part = 0; part < 3; part++) {
            List<EnrichedChange> batch = new ArrayList<>();
            for (int i = part; i < total; i += 3) {
                batch.add(upsert(c, "doc-" + i, "text " + i, Map.of(), vector(i), 10 + i));
                expected.add("doc-" + i);
            }
            sink.apply(batch);
            if (part < 2) {
                inspector.flush(FlushReq.builder().collectionNames(List.of(c)).build());
            }
        }
        expected.sort(SinkReaders.BINARY_ORDER);

        assertThat(reader.ids(c, null, total + 10)).isEqualTo(expected);
        List<String> firstPage = reader.ids(c, null, 5_000);
        assertThat(firstPage).isEqualTo(expected.subList(0, 5_000));
        assertThat(reader.ids(c, firstPage.get(4_999), total)).isEqualTo(expected.subList(5_000, total));
    }

    @Test
    void hungServerTimesOutAndTheNextBatchSucceeds() throws Exception {
        MilvusSinkConfig quick = configFor(uri, Map.of("sink.milvus.timeout.ms", "2000"));
        String c = prefix + "hung";
        EnrichedChange first = upsert(c, "1", "one", Map.of(), vector(1), 10);
        EnrichedChange second = upsert(c, "2", "two", Map.of(), vector(2), 11);
        try (MilvusSink impatient = new MilvusSink(quick, DIM)) {
            impatient.prepare(mapping(c));
            impatient.apply(List.of(first));

            LocalServers.services("pause", "--only", "milvus");
            long start = System.nanoTime();
            try {
                assertThatThrownBy(() -> impatient.apply(List.of(second)))
                        .isInstanceOf(SinkUnavailableException.class)
                        .hasMessageStartingWith("milvus sink could not apply a batch to collection '" + c + "': ")
                        .hasMessageContaining("DEADLINE_EXCEEDED")
                        .hasMessageNotContaining("two");
            } finally {
                LocalServers.services("resume", "--only", "milvus");
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(10_000);

            assertThat(impatient.apply(List.of(second))).isEqualTo(new ApplyResult(1, 0, List.of()));
        }
        assertStored(reader, first);
        assertStored(reader, second);
    }

    @Test
    void prepareIsIdempotentAndSafeWhenTwoSinksRace() throws Exception {
        String c = prefix + "raced";
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (MilvusSink other = new MilvusSink(config, DIM)) {
            List<Future<Void>> done = new ArrayList<>();
            for (MilvusSink worker : List.of(sink, other)) {
                Callable<Void> prepare = () -> {
                    start.await(30, TimeUnit.SECONDS);
                    worker.prepare(mapping(c));
                    return null;
                };
                done.add(pool.submit(prepare));
            }
            for (Future<Void> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
            sink.prepare(mapping(c));
        } finally {
            pool.shutdownNow();
        }

        for (String collection : List.of(c, c + "__tombstones")) {
            assertThat(inspector.listIndexes(ListIndexesReq.builder().collectionName(collection).build()))
                    .hasSize(1);
        }
        assertThat(sink.apply(List.of(upsert(c, "1", "t", Map.of(), vector(1), 1))))
                .isEqualTo(new ApplyResult(1, 0, List.of()));
    }

    @Test
    void prepareRefusesAnExistingCollectionOfAnotherDimension() throws Exception {
        String c = prepared("dims");

        try (MilvusSink smaller = new MilvusSink(config, 3)) {
            assertThatThrownBy(() -> smaller.prepare(mapping(c)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("milvus collection '" + c + "' holds 384-dimensional vectors but the milvus sink is"
                            + " configured for 3: drop the collection or use a new collection name");
        }
        assertThat(inspector.describeCollection(DescribeCollectionReq.builder().collectionName(c).build())
                .getCollectionSchema().getField("embedding").getDimension()).isEqualTo(DIM);
    }

    @Test
    void aTombstoneCollectionMadeBeforeCommitTimesWereKeptStillGuardsAndIsNeverPurged() throws Exception {
        String c = prefix + "undated";
        CollectionSchema old = CollectionSchema.builder().build();
        old.setEnableDynamicField(false);
        old.addField(AddFieldReq.builder().fieldName("id").dataType(DataType.VarChar)
                .maxLength(MilvusSchema.MAX_ID_BYTES).isPrimaryKey(true).autoID(false).build());
        old.addField(AddFieldReq.builder().fieldName("source_lsn").dataType(DataType.Int64).build());
        old.addField(AddFieldReq.builder().fieldName("dummy_vector").dataType(DataType.FloatVector)
                .dimension(MilvusSchema.DUMMY_DIMENSION).build());
        inspector.createCollection(CreateCollectionReq.builder().collectionName(c + "__tombstones")
                .collectionSchema(old).build());
        sink.prepare(mapping(c));

        assertThat(sink.apply(List.of(EnrichedChange.delete(c, "x", 5, TS)))).isEqualTo(
                new ApplyResult(1, 0, List.of()));
        assertThat(sink.apply(List.of(upsert(c, "x", "late insert", Map.of(), vector(1), 4))))
                .isEqualTo(new ApplyResult(0, 1, List.of()));
        assertThat(sink.purgeTombstones(c, Instant.ofEpochMilli(TS).plus(Duration.ofDays(1000)), 100)).isZero();
        assertThat(tombstones(c)).containsExactly("(x,5)");
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private String prepared(String name) throws SinkUnavailableException {
        String c = prefix + name;
        sink.prepare(mapping(c));
        return c;
    }

    private static MilvusSinkConfig configFor(String uri, Map<String, String> more) {
        Map<String, String> raw = new LinkedHashMap<>(more);
        raw.put("sink.milvus.uri", uri);
        ConfigReader reader = new ConfigReader(raw);
        MilvusSinkConfig config = MilvusSinkConfig.from(reader);
        reader.finish();
        return config;
    }

    private static List<QueryResult> query(String collection, String filter, List<String> fields) {
        return inspector.query(QueryReq.builder().collectionName(collection).filter(filter).outputFields(fields)
                .consistencyLevel(ConsistencyLevel.STRONG).build()).getQueryResults();
    }

    private static Object field(String collection, String id, String field) {
        List<QueryResult> rows = query(collection, MilvusSchema.idIn(List.of(id)), List.of(field));
        assertThat(rows).hasSize(1);
        return rows.get(0).getEntity().get(field);
    }

    private static List<String> ids(String collection, String filter) {
        return query(collection, filter, List.of("id")).stream().map(r -> (String) r.getEntity().get("id"))
                .sorted().toList();
    }

    /** Every row of a collection, every field, ordered: the exact stored state. */
    private static List<String> dump(String collection) {
        return query(collection, "id != \"\"", MilvusRows.DOCUMENT_FIELDS).stream()
                .map(r -> new java.util.TreeMap<>(r.getEntity()).toString()).sorted().toList();
    }

    private static List<String> tombstones(String collection) {
        return query(collection + "__tombstones", "id != \"\"", List.of("id", "source_lsn")).stream()
                .map(r -> "(" + r.getEntity().get("id") + "," + r.getEntity().get("source_lsn") + ")").sorted()
                .toList();
    }

}
