package io.vectorsync.streams.topology;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.core.DeadLetterHeaders;
import io.vectorsync.core.Topics;
import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.core.config.TombstoneConfig;
import io.vectorsync.core.json.JsonSerde;
import io.vectorsync.core.kafka.OversizedRecordException;
import io.vectorsync.core.kafka.RecordSizeLimit;
import io.vectorsync.core.model.ChangeEvent;
import io.vectorsync.core.model.ContentHash;
import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.TableId;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class EnrichmentTopologyTest {
    private static final TableId ARTICLES = new TableId("public", "articles");
    private static final int BATCH = 4;
    private static final Topics TOPICS = new Topics("vectorsync");
    /** kafka.max.record.bytes of these tests: far above their usual records, which are a few hundred bytes. */
    private static final int LIMIT = 2_000;

    @TempDir
    Path stateDir;

    private final FakeEmbeddingProvider embedder = new FakeEmbeddingProvider();
    private final EnrichmentMetrics metrics = new EnrichmentMetrics(new SimpleMeterRegistry());
    private TopologyTestDriver driver;
    private TestInputTopic<String, String> cdc;
    private TestOutputTopic<String, EnrichedChange> pgvector;
    private TestOutputTopic<String, String> dlq;
    private long lsn = 1000;
    private String lastValue;

    @BeforeEach
    void setUp() {
        start("{title}: {body}");
    }

    private void start(String template) {
        MappingConfig mappings = MappingConfig.from(new ConfigReader(Map.of(
                "collections.articles.table", "public.articles",
                "collections.articles.id", "id",
                "collections.articles.template", template,
                "collections.articles.metadata", "author,tags")));
        StreamsBuilder builder = new StreamsBuilder();
        EnrichmentTopology.build(builder, TOPICS, mappings, embedder, BATCH, Duration.ofMillis(100), metrics,
                new RecordSizeLimit(LIMIT), TombstoneConfig.KEEP_FOREVER);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(builder.build(), props);
        cdc = driver.createInputTopic(Topics.cdc(ARTICLES), Serdes.String().serializer(), Serdes.String().serializer());
        pgvector = driver.createOutputTopic(TOPICS.sink(SinkName.PGVECTOR), Serdes.String().deserializer(),
                new JsonSerde<>(EnrichedChange.class).deserializer());
        dlq = driver.createOutputTopic(TOPICS.deadLetters(), Serdes.String().deserializer(), Serdes.String().deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void insertBecomesAnEmbeddedDocumentOnTheSinkTopic() {
        send("c", 1, row(1, "Hello", "world", "ann"));
        flushByTime();

        TestRecord<String, EnrichedChange> out = pgvector.readRecord();
        EnrichedChange change = out.value();
        assertThat(out.key()).isEqualTo("articles/1");
        assertThat(change.kind()).isEqualTo(EnrichedChange.Kind.UPSERT);
        assertThat(change.content()).isEqualTo("Hello: world");
        assertThat(change.embedding()).containsExactly(FakeEmbeddingProvider.vectorOf("Hello: world"));
        assertThat(change.contentHash()).isEqualTo(ContentHash.sha256("Hello: world"));
        assertThat(change.metadata()).containsExactlyInAnyOrderEntriesOf(Map.of("author", "ann", "tags", "t"));
        assertThat(change.model()).isEqualTo("fake-model");
        assertThat(change.lsn()).isEqualTo(1001);
        assertThat(pgvector.isEmpty()).isTrue();
    }

    @Test
    void changesWaitForAFullBatchOrTheMaxWait() {
        send("c", 1, row(1, "a", "x", "ann"));
        send("c", 2, row(2, "b", "x", "ann"));
        send("c", 3, row(3, "c", "x", "ann"));
        assertThat(pgvector.isEmpty()).isTrue();

        send("c", 4, row(4, "d", "x", "ann"));

        assertThat(pgvector.readKeyValuesToList().stream().map(kv -> kv.key).toList()).containsExactly("articles/1", "articles/2", "articles/3", "articles/4");
        assertThat(embedder.calls).hasSize(1).first().asList().hasSize(4);
    }

    @Test
    void metadataOnlyUpdateReusesTheVectorWithoutCallingTheModel() {
        send("c", 1, row(1, "Hello", "world", "ann"));
        flushByTime();
        send("u", 1, row(1, "Hello", "world", "bob"));
        flushByTime();

        List<EnrichedChange> out = pgvector.readValuesToList();
        assertThat(out).hasSize(2);
        assertThat(out.get(1).metadata()).containsEntry("author", "bob");
        assertThat(out.get(1).embedding()).containsExactly(out.get(0).embedding());
        assertThat(embedder.textsEmbedded()).isEqualTo(1);
        assertThat(metrics.skippedCount()).isEqualTo(1);
    }

    @Test
    void textUpdateIsEmbeddedAgain() {
        send("c", 1, row(1, "Hello", "world", "ann"));
        send("u", 1, row(1, "Hello", "there", "ann"));
        flushByTime();

        List<EnrichedChange> out = pgvector.readValuesToList();
        assertThat(out).extracting(EnrichedChange::content).containsExactly("Hello: world", "Hello: there");
        assertThat(out.get(1).embedding()).containsExactly(FakeEmbeddingProvider.vectorOf("Hello: there"));
        assertThat(embedder.textsEmbedded()).isEqualTo(2);
    }

    @Test
    void unchangedToastColumnKeepsTheKnownTextAndIsNotEmbedded() {
        send("c", 1, row(1, "Title", "a very long body", "ann"));
        flushByTime();
        send("u", 1, row(1, "Title", ChangeEvent.UNAVAILABLE_VALUE, "bob"));
        flushByTime();

        List<EnrichedChange> out = pgvector.readValuesToList();
        assertThat(out).hasSize(2);
        assertThat(out.get(1).content()).isEqualTo("Title: a very long body");
        assertThat(out.get(1).metadata()).containsEntry("author", "bob");
        assertThat(out.get(1).embedding()).containsExactly(out.get(0).embedding());
        assertThat(embedder.textsEmbedded()).isEqualTo(1);
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void unchangedToastColumnOfAnUnknownRowIsDeadLetteredNotEmbedded() {
        send("u", 7, row(7, "Title", ChangeEvent.UNAVAILABLE_VALUE, "bob"));
        flushByTime();

        assertThat(pgvector.isEmpty()).isTrue();
        TestRecord<String, String> dead = dlq.readRecord();
        assertThat(header(dead.headers(), DeadLetterHeaders.ERROR_MESSAGE))
                .contains("column 'body'", "unchanged TOAST value", "public.articles");
        assertThat(embedder.textsEmbedded()).isZero();
    }

    @Test
    void deleteBecomesADeleteForTheDocument() {
        send("c", 1, row(1, "Hello", "world", "ann"));
        send("d", 1, null);
        flushByTime();

        List<EnrichedChange> out = pgvector.readValuesToList();
        assertThat(out).extracting(EnrichedChange::kind)
                .containsExactly(EnrichedChange.Kind.UPSERT, EnrichedChange.Kind.DELETE);
        assertThat(out.get(1).id()).isEqualTo("1");
        assertThat(out.get(1).lsn()).isGreaterThan(out.get(0).lsn());
    }

    @Test
    void malformedRecordGoesToTheDeadLetterTopicWithItsOriginAndTheFlowGoesOn() {
        cdc.pipeInput("{\"id\":9}", "{not json");
        send("c", 1, row(1, "Hello", "world", "ann"));
        flushByTime();

        TestRecord<String, String> dead = dlq.readRecord();
        assertThat(dead.value()).isEqualTo("{not json");
        assertThat(header(dead.headers(), DeadLetterHeaders.ERROR_MESSAGE)).contains("not valid JSON");
        assertThat(header(dead.headers(), DeadLetterHeaders.ERROR_CLASS)).endsWith("MappingException");
        assertThat(header(dead.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("cdc.public.articles");
        assertThat(header(dead.headers(), DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo("0");
        assertThat(header(dead.headers(), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(pgvector.readKeyValuesToList().stream().map(kv -> kv.key).toList()).containsExactly("articles/1");
        assertThat(metrics.deadLetterCount()).isEqualTo(1);
    }

    @Test
    void replayedOlderChangeIsDroppedAndDoesNotRollBackTheRememberedRow() {
        send("c", 1, row(1, "Title", "old body", "ann"));
        String oldInsert = lastValue;
        flushByTime();
        send("u", 1, row(1, "Title", "new body", "ann"));
        flushByTime();
        pgvector.readValuesToList();

        cdc.pipeInput("{\"id\":1}", oldInsert);
        flushByTime();
        send("u", 1, row(1, "Title", ChangeEvent.UNAVAILABLE_VALUE, "bob"));
        flushByTime();

        List<EnrichedChange> out = pgvector.readValuesToList();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).content()).isEqualTo("Title: new body");
        assertThat(out.get(0).metadata()).containsEntry("author", "bob");
        assertThat(metrics.staleCount()).isEqualTo(1);
    }

    @Test
    void replayedInsertOlderThanADeleteIsDropped() {
        send("c", 1, row(1, "Title", "body", "ann"));
        String oldInsert = lastValue;
        send("d", 1, null);
        flushByTime();
        pgvector.readValuesToList();

        cdc.pipeInput("{\"id\":1}", oldInsert);
        flushByTime();

        assertThat(pgvector.isEmpty()).isTrue();
        assertThat(metrics.staleCount()).isEqualTo(1);
    }

    @Test
    void aBackfillReadOfAKnownRowTakesItsLastLsnAndIsNotEmbeddedAgain() {
        sendAt("c", 1, row(1, "Title", "body", "ann"), 1001L, "900", false);
        flushByTime();
        EnrichedChange insert = pgvector.readValue();
        int calls = embedder.textsEmbedded();

        sendAt("r", 1, row(1, "Title", "body", "ann"), null, "5000", true);
        flushByTime();

        EnrichedChange read = pgvector.readValue();
        assertThat(read.lsn()).isEqualTo(1001);
        assertThat(read.contentHash()).isEqualTo(insert.contentHash());
        assertThat(read.embedding()).containsExactly(insert.embedding());
        assertThat(embedder.textsEmbedded()).isEqualTo(calls);
    }

    @Test
    void aBackfillReadOfARowNeverSeenIsEmbeddedWithLsnZero() {
        sendAt("r", 7, row(7, "Old", "row", "ann"), null, "5000", true);
        flushByTime();

        EnrichedChange read = pgvector.readValue();
        assertThat(read.lsn()).isZero();
        assertThat(read.content()).isEqualTo("Old: row");
        assertThat(read.embedding()).isNotNull();
    }

    @Test
    void aChangeBegunBeforeABackfillReadAndCommittedAfterItStillWins() {
        sendAt("c", 1, row(1, "Title", "body", "ann"), 1001L, "900", false);
        // A long transaction updated the row at LSN 3000 but committed after the chunk's watermark (5000).
        sendAt("r", 1, row(1, "Title", "body", "ann"), null, "5000", true);
        sendAt("u", 1, row(1, "Title", "long transaction", "ann"), 3000L, "6000", false);
        flushByTime();

        List<EnrichedChange> out = pgvector.readValuesToList();
        assertThat(out).extracting(EnrichedChange::lsn).containsExactly(1001L, 1001L, 3000L);
        assertThat(out.get(2).content()).isEqualTo("Title: long transaction");
        assertThat(metrics.staleCount()).isZero();
    }

    @Test
    void aReplayedBackfillReadBehindANewerChangeIsDropped() {
        sendAt("c", 1, row(1, "Title", "body", "ann"), 1001L, "900", false);
        sendAt("u", 1, row(1, "Title", "newer", "ann"), 1002L, "6000", false);
        flushByTime();
        pgvector.readValuesToList();

        sendAt("r", 1, row(1, "Title", "body", "ann"), null, "5000", true);
        sendAt("d", 2, null, 1003L, "6100", false);
        sendAt("r", 2, row(2, "Gone", "row", "ann"), null, "5000", true);
        flushByTime();

        assertThat(pgvector.readValuesToList()).extracting(EnrichedChange::kind)
                .containsExactly(EnrichedChange.Kind.DELETE);
        assertThat(metrics.staleCount()).isEqualTo(2);
    }

    @Test
    void aTruncateGoesToTheSinksAndAReinsertOfTheSameTextIsEmbeddedAndWrittenAgain() {
        send("c", 1, row(1, "Hello", "world", "ann"));
        flushByTime();
        pgvector.readValuesToList();

        long truncatedAt = sendTruncate();
        send("c", 1, row(1, "Hello", "world", "ann"));
        flushByTime();

        List<TestRecord<String, EnrichedChange>> out = pgvector.readRecordsToList();
        assertThat(out).extracting(r -> r.value().kind())
                .containsExactly(EnrichedChange.Kind.TRUNCATE, EnrichedChange.Kind.UPSERT);
        assertThat(out.get(0).key()).isEqualTo("articles/");
        assertThat(out.get(0).value().lsn()).isEqualTo(truncatedAt);
        assertThat(out.get(1).value().lsn()).isGreaterThan(truncatedAt);
        assertThat(out.get(1).value().embedding()).isNotNull();
        assertThat(embedder.textsEmbedded()).as("the hash of the truncated row is forgotten").isEqualTo(2);
        assertThat(metrics.skippedCount()).isZero();
    }

    @Test
    void aReplayedInsertOlderThanATruncateIsDropped() {
        send("c", 1, row(1, "Title", "body", "ann"));
        String oldInsert = lastValue;
        flushByTime();
        sendTruncate();
        flushByTime();
        pgvector.readValuesToList();

        cdc.pipeInput("{\"id\":1}", oldInsert);
        sendTruncate(lsn - 1);
        flushByTime();

        assertThat(pgvector.isEmpty()).isTrue();
        assertThat(metrics.staleCount()).isEqualTo(2);
    }

    @Test
    void changesWaitingBeforeATruncateInTheSameBatchAreDroppedWithoutCallingTheModel() {
        send("c", 1, row(1, "a", "x", "ann"));
        send("c", 2, row(2, "b", "x", "ann"));
        sendTruncate();
        send("c", 3, row(3, "c", "x", "ann"));

        assertThat(pgvector.readKeyValuesToList()).extracting(kv -> kv.key)
                .containsExactly("articles/", "articles/3");
        assertThat(embedder.textsEmbedded()).isEqualTo(1);
    }

    @Test
    void aBackfillReadAfterATruncateTakesAtLeastTheTruncatesLsn() {
        sendAt("t", 0, null, 2000L, "1900", false);
        sendAt("r", 7, row(7, "New", "row", "ann"), null, "5000", true);
        flushByTime();

        assertThat(pgvector.readValuesToList()).extracting(EnrichedChange::kind, EnrichedChange::lsn)
                .containsExactly(org.assertj.core.api.Assertions.tuple(EnrichedChange.Kind.TRUNCATE, 2000L),
                        org.assertj.core.api.Assertions.tuple(EnrichedChange.Kind.UPSERT, 2000L));
    }

    @Test
    void debeziumTombstoneIsIgnored() {
        cdc.pipeInput("{\"id\":1}", (String) null);
        flushByTime();
        assertThat(pgvector.isEmpty()).isTrue();
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void changeEventOverTheRecordLimitIsDeadLetteredWithoutItsRowsAndLaterChangesStillFlow() {
        send("c", 1, row(1, "Big", "x".repeat(LIMIT), "ann"));
        String tooLarge = lastValue;
        send("c", 2, row(2, "Small", "text", "ann"));
        flushByTime();

        assertThat(pgvector.readKeyValuesToList().stream().map(kv -> kv.key).toList()).containsExactly("articles/2");
        TestRecord<String, String> dead = dlq.readRecord();
        assertThat(dead.key()).isEqualTo("{\"id\":1}");
        assertThat(dead.value()).doesNotContain("xxx").contains("\"op\":\"c\"", "\"lsn\":1001");
        assertThat(header(dead.headers(), DeadLetterHeaders.ERROR_CLASS))
                .isEqualTo(OversizedRecordException.class.getName());
        assertThat(header(dead.headers(), DeadLetterHeaders.ERROR_MESSAGE)).isEqualTo("record of "
                + (tooLarge.length() + 8) + " bytes is over kafka.max.record.bytes (2000), key {\"id\":1}");
        assertThat(header(dead.headers(), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(dlq.isEmpty()).isTrue();
        assertThat(metrics.oversizedCount()).isEqualTo(1);
        assertThat(embedder.textsEmbedded()).isEqualTo(1);
    }

    @Test
    void enrichedChangeOverTheRecordLimitIsDeadLetteredAsItsEventAndTheDocumentStateIsLeftAsItWas() {
        driver.close();
        // A template naming the body twice: the enriched change is about twice the event's size.
        start("{title}: {body} {body}");
        String body = "y".repeat(LIMIT * 2 / 3);
        send("c", 1, row(1, "Doc", "short", "ann"));
        flushByTime();
        send("u", 1, row(1, "Doc", body, "ann"));
        String event = lastValue;
        flushByTime();
        send("u", 1, row(1, "Doc", "short", "bob"));
        flushByTime();

        List<EnrichedChange> out = pgvector.readValuesToList();
        assertThat(out).extracting(EnrichedChange::content).containsExactly("Doc: short short", "Doc: short short");
        assertThat(out.get(1).metadata()).containsEntry("author", "bob");
        TestRecord<String, String> dead = dlq.readRecord();
        assertThat(dead.value()).as("the event fits, so it is kept whole").isEqualTo(event);
        assertThat(header(dead.headers(), DeadLetterHeaders.ERROR_MESSAGE))
                .matches("record of \\d+ bytes is over kafka\\.max\\.record\\.bytes \\(2000\\), key articles/1");
        assertThat(dlq.isEmpty()).isTrue();
        assertThat(metrics.oversizedCount()).isEqualTo(1);
    }

    @Test
    void modelErrorDeadLettersTheFailingChangeWithItsReasonAndLaterChangesStillFlow() {
        embedder.failsOn.add("Bad: text");
        send("c", 1, row(1, "Good", "text", "ann"));
        send("c", 2, row(2, "Bad", "text", "ann"));
        send("c", 3, row(3, "Fine", "text", "ann"));
        flushByTime();
        send("c", 4, row(4, "Later", "text", "ann"));
        flushByTime();

        assertThat(pgvector.readKeyValuesToList().stream().map(kv -> kv.key).toList())
                .containsExactly("articles/1", "articles/3", "articles/4");
        TestRecord<String, String> dead = dlq.readRecord();
        assertThat(dead.key()).isEqualTo("{\"id\":2}");
        assertThat(header(dead.headers(), DeadLetterHeaders.ERROR_MESSAGE))
                .contains("embedding model fake-model failed", "model server answered 500");
        assertThat(header(dead.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("cdc.public.articles");
        assertThat(header(dead.headers(), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("1");
        assertThat(dlq.isEmpty()).isTrue();
        assertThat(metrics.deadLetterCount()).isEqualTo(1);
    }

    @Test
    void modelFailingOnEveryTextDeadLettersEachChangeAndTheTopologyKeepsRunning() {
        embedder.failsOn.addAll(List.of("A: x", "B: x"));
        send("c", 1, row(1, "A", "x", "ann"));
        send("c", 2, row(2, "B", "x", "ann"));
        flushByTime();
        embedder.failsOn.clear();
        send("c", 3, row(3, "C", "x", "ann"));
        flushByTime();

        assertThat(dlq.readKeyValuesToList().stream().map(kv -> kv.key).toList())
                .containsExactly("{\"id\":1}", "{\"id\":2}");
        assertThat(pgvector.readKeyValuesToList().stream().map(kv -> kv.key).toList()).containsExactly("articles/3");
    }

    private void flushByTime() {
        driver.advanceWallClockTime(Duration.ofMillis(150));
    }

    private static Map<String, Object> row(int id, String title, String body, String author) {
        return Map.of("id", id, "title", title, "body", body, "author", author, "tags", "t");
    }

    private void send(String op, int id, Map<String, Object> after) {
        lsn++;
        String afterJson = after == null ? "null" : io.vectorsync.core.json.Json.write(after);
        String before = "d".equals(op) ? "{\"id\":" + id + "}" : "null";
        String value = "{\"before\":" + before + ",\"after\":" + afterJson + ",\"op\":\"" + op + "\",\"ts_ms\":1,"
                + "\"source\":{\"schema\":\"public\",\"table\":\"articles\",\"lsn\":" + lsn
                + ",\"txId\":5,\"ts_ms\":1700000000000}}";
        lastValue = value;
        cdc.pipeInput("{\"id\":" + id + "}", value);
    }

    /** A TRUNCATE of the table, at the next LSN; Debezium sends it without a key. */
    private long sendTruncate() {
        return sendTruncate(++lsn);
    }

    private long sendTruncate(long at) {
        cdc.pipeInput((String) null, "{\"before\":null,\"after\":null,\"op\":\"t\",\"ts_ms\":1,\"source\":{"
                + "\"schema\":\"public\",\"table\":\"articles\",\"lsn\":" + at + ",\"txId\":6,"
                + "\"ts_ms\":1700000000000}}");
        return at;
    }

    /**
     * A change with an explicit LSN (null for an incremental-snapshot read, which has none) and Debezium's
     * {@code source.sequence} {@code ["<commit>","<lsn or, for a read, the watermark>"]}.
     */
    private void sendAt(String op, int id, Map<String, Object> after, Long changeLsn, String commit,
                        boolean incremental) {
        String afterJson = after == null ? "null" : io.vectorsync.core.json.Json.write(after);
        String before = "d".equals(op) ? "{\"id\":" + id + "}" : "null";
        String own = changeLsn == null ? commit : changeLsn.toString();
        String value = "{\"before\":" + before + ",\"after\":" + afterJson + ",\"op\":\"" + op + "\",\"ts_ms\":1,"
                + "\"source\":{\"schema\":\"public\",\"table\":\"articles\",\"lsn\":" + changeLsn
                + ",\"snapshot\":\"" + (incremental ? "incremental" : "false") + "\","
                + "\"sequence\":\"[\\\"" + commit + "\\\",\\\"" + own + "\\\"]\","
                + "\"txId\":5,\"ts_ms\":1700000000000}}";
        cdc.pipeInput("{\"id\":" + id + "}", value);
    }

    private static String header(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
