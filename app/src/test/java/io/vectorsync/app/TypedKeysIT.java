package io.vectorsync.app;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.config.AppConfigLoader;
import io.vectorsync.app.pipeline.Pipeline;
import io.vectorsync.app.pipeline.Role;
import io.vectorsync.app.pipeline.Stores;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.sink.api.StoredDocument;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.validation.CollectionReport;
import io.vectorsync.validation.JsonReport;
import io.vectorsync.validation.StoreReport;
import io.vectorsync.validation.ValidationReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Keys and metadata of the types real tables use, end to end on the real servers: a uuid primary key; a composite
 * key of numeric, timestamptz, jsonb and text[]; numeric, timestamptz, jsonb, arrays and NULL as metadata; text with
 * emoji, right-to-left scripts and combining marks. After inserts, updates (text, metadata only, metadata to NULL)
 * and deletes, every store holds exactly the source's documents, byte for byte, and the validator agrees.
 */
@ExtendWith(LocalServers.class)
class TypedKeysIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    /** Emoji with skin tone and ZWJ, a flag, Hebrew and Arabic (RTL), decomposed accents, a combining overlay. */
    private static final List<String> TEXTS = List.of(
            "emoji 👩🏽‍💻 at work 🇯🇵 🙂",
            "Hebrew שָׁלוֹם עוֹלָם and Arabic مَرْحَبًا بِالْعَالَم mixed",
            "combining e\u0301 a\u0308 n\u0303 o\u0338 Z\u0335\u0321 and precomposed é ä",
            "zero width\u200b joiner\u200d and RTL mark \u200f end",
            "plain ascii",
            "Devanagari नमस्ते and Thai สวัสดี with 𝔘𝔫𝔦𝔠𝔬𝔡𝔢");

    @TempDir
    static Path stateDir;

    private static PipelineFixture fx;
    private static AppConfig config;
    private static Path configFile;
    private static Pipeline pipeline;
    private static String byUuid;
    private static String byComposite;
    private static final Map<SinkName, SinkReader> readers = new EnumMap<>(SinkName.class);
    /** uuid → the text the uuid table's documents must hold. */
    private static final Map<String, String> uuidTexts = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        fx = new PipelineFixture(LocalServers.get());
        byUuid = "tk_uuid_" + fx.suffix;
        byComposite = "tk_comp_" + fx.suffix;
        fx.sql(fx.sourceDb, "CREATE TABLE " + byUuid + " (id uuid PRIMARY KEY, title text NOT NULL, body text,"
                + " amount numeric(12,4), at timestamptz, attrs jsonb, tags text[], scores int[], note text)");
        fx.sql(fx.sourceDb, "CREATE TABLE " + byComposite + " (amount numeric, at timestamptz, attrs jsonb,"
                + " tags text[], title text NOT NULL, PRIMARY KEY (amount, at, attrs, tags))");
        Map<String, String> raw = fx.config(stateDir);
        raw.put("collections." + byUuid + ".table", "public." + byUuid);
        raw.put("collections." + byUuid + ".id", "id");
        raw.put("collections." + byUuid + ".template", "{title}: {body}");
        raw.put("collections." + byUuid + ".metadata", "amount,at,attrs,tags,scores,note");
        raw.put("collections." + byUuid + ".sinks", "pgvector,neo4j,milvus");
        raw.put("collections." + byComposite + ".table", "public." + byComposite);
        raw.put("collections." + byComposite + ".id", "amount,at,attrs,tags");
        raw.put("collections." + byComposite + ".template", "{title}");
        raw.put("collections." + byComposite + ".metadata", "amount,at,attrs,tags");
        raw.put("collections." + byComposite + ".sinks", "pgvector,neo4j,milvus");
        raw.put("sink.neo4j.uri", fx.servers.neo4jUri());
        raw.put("sink.milvus.uri", fx.servers.milvusUri());
        raw.put("validate.recheck.delay.ms", "500");
        configFile = PipelineFixture.writeConfig(stateDir.resolve("typed.properties"), raw);
        config = AppConfigLoader.load(raw, true);
        for (SinkName store : SinkName.values()) {
            readers.put(store, Stores.reader(config, store));
        }
        pipeline = Pipeline.start(config, EnumSet.allOf(Role.class), new SimpleMeterRegistry());
    }

    @AfterAll
    static void stop() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
        readers.values().forEach(SinkReader::close);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(fx::dropSlot);
    }

    @Test
    void insertsUpdatesAndDeletesOfTypedKeysAndMetadataLeaveEveryStoreExactlyEqualToTheSource() throws Exception {
        for (int i = 0; i < 12; i++) {
            String id = UUID.nameUUIDFromBytes(("row" + i).getBytes(StandardCharsets.UTF_8)).toString();
            String title = "T" + i + " " + TEXTS.get(i % TEXTS.size());
            String body = TEXTS.get((i + 1) % TEXTS.size());
            uuidTexts.put(id, title + ": " + body);
            boolean nulls = i % 4 == 0;
            fx.sql(fx.sourceDb, "INSERT INTO " + byUuid + " VALUES ('" + id + "', " + literal(title) + ", "
                    + literal(body) + ", " + (nulls ? "NULL, NULL, NULL, NULL, NULL, NULL" : (i * 12.3456) + ","
                    + " timestamptz '2024-02-29 23:59:59.123456+05:30' + " + i + " * interval '1 day', "
                    + literal("{\"k\": " + i + ", \"t\": " + jsonString(TEXTS.get(i % TEXTS.size()))
                    + ", \"n\": null, \"a\": [1.5, true, \"x\"]}") + "::jsonb, ARRAY[" + literal(TEXTS.get(i
                    % TEXTS.size())) + ", 'b c', NULL, '']::text[], ARRAY[" + i + ", -1, NULL]::int[], "
                    + literal("note " + TEXTS.get((i + 2) % TEXTS.size()))) + ")");
        }
        for (int i = 0; i < 8; i++) {
            fx.sql(fx.sourceDb, "INSERT INTO " + byComposite + " VALUES (" + (i % 2 == 0 ? i + ".50" : "-" + i
                    + ".000001") + ", timestamptz '2024-01-01 00:00:00+00' + " + i + " * interval '1.5 second', "
                    + literal("{\"key\": " + i + ", \"s\": " + jsonString(TEXTS.get(i % TEXTS.size())) + "}")
                    + "::jsonb, ARRAY['p|q', 'back\\slash', " + literal(TEXTS.get(i % TEXTS.size())) + "], "
                    + literal("part " + i + " " + TEXTS.get(i % TEXTS.size())) + ")");
        }
        awaitEqualToSource(12, 8);

        List<String> ids = List.copyOf(uuidTexts.keySet());
        // Text changed; metadata only; metadata set to NULL; NULL metadata filled in; deleted.
        fx.sql(fx.sourceDb, "UPDATE " + byUuid + " SET body = " + literal(TEXTS.get(2) + " ✎") + " WHERE id = '"
                + ids.get(1) + "'");
        uuidTexts.put(ids.get(1), uuidTexts.get(ids.get(1)).replaceFirst(": .*$", "") + ": " + TEXTS.get(2) + " ✎");
        fx.sql(fx.sourceDb, "UPDATE " + byUuid + " SET amount = 0.0001, attrs = '[]', tags = '{}', note = 'נ'"
                + " WHERE id = '" + ids.get(2) + "'");
        fx.sql(fx.sourceDb, "UPDATE " + byUuid + " SET amount = NULL, at = NULL, attrs = NULL, tags = NULL,"
                + " scores = NULL, note = NULL WHERE id = '" + ids.get(3) + "'");
        fx.sql(fx.sourceDb, "UPDATE " + byUuid + " SET amount = -99999999.9999, at = 'infinity', attrs = 'null',"
                + " scores = '{}', note = '🙂' WHERE id = '" + ids.get(4) + "'");
        fx.sql(fx.sourceDb, "UPDATE " + byUuid + " SET at = '-infinity' WHERE id = '" + ids.get(7) + "'");
        fx.sql(fx.sourceDb, "DELETE FROM " + byUuid + " WHERE id IN ('" + ids.get(5) + "', '" + ids.get(6) + "')");
        uuidTexts.remove(ids.get(5));
        uuidTexts.remove(ids.get(6));
        fx.sql(fx.sourceDb, "UPDATE " + byComposite + " SET title = title || ' ✓' WHERE amount = 2.50");
        fx.sql(fx.sourceDb, "DELETE FROM " + byComposite + " WHERE amount = -3.000001");
        awaitEqualToSource(10, 7);
    }

    /** Every store holds the expected number of documents, the uuid table's texts byte for byte; validator clean. */
    private static void awaitEqualToSource(int uuidRows, int compositeRows) throws Exception {
        for (SinkName store : SinkName.values()) {
            SinkReader reader = readers.get(store);
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(reader.count(byUuid)).as("%s documents of %s", store, byUuid).isEqualTo(uuidRows);
                assertThat(reader.count(byComposite)).as("%s documents of %s", store, byComposite)
                        .isEqualTo(compositeRows);
                Map<String, StoredDocument> docs = reader.findAll(byUuid, uuidTexts.keySet());
                assertThat(docs.keySet()).as("%s ids", store).isEqualTo(uuidTexts.keySet());
                uuidTexts.forEach((id, text) -> assertThat(docs.get(id).content().getBytes(StandardCharsets.UTF_8))
                        .as("%s text of %s: %s", store, id, docs.get(id).content())
                        .isEqualTo(text.getBytes(StandardCharsets.UTF_8)));
            });
        }
        Path out = Files.createTempFile(stateDir, "validate", ".json");
        int code = Main.execute("validate", "--config", configFile.toString(), "--format", "json", "--output",
                out.toString());
        ValidationReport report = JsonReport.read(Files.readString(out));
        assertThat(report.collections()).extracting(CollectionReport::collection)
                .containsExactlyInAnyOrder(byUuid, byComposite);
        for (CollectionReport c : report.collections()) {
            int rows = c.collection().equals(byUuid) ? uuidRows : compositeRows;
            for (StoreReport s : c.stores()) {
                assertThat(List.of(s.missingKeys(), s.orphanedKeys(), s.staleKeys(), s.driftedKeys()))
                        .as("%s in %s: missing, orphaned, stale, drifted", c.collection(), s.store())
                        .containsOnly(List.of());
                assertThat(s.matched()).as("%s in %s", c.collection(), s.store()).isEqualTo(rows);
            }
        }
        assertThat(code).as("validate exit code").isZero();
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static String jsonString(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
