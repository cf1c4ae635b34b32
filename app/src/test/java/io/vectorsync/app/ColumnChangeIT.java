package io.vectorsync.app;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.app.config.AppConfigLoader;
import io.vectorsync.app.pipeline.Pipeline;
import io.vectorsync.app.pipeline.Role;
import io.vectorsync.core.DeadLetterHeaders;
import io.vectorsync.testkit.LocalServers;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Column changes on a captured table mid-stream (issue 12): adding and dropping a column the mapping does not read,
 * and widening the type of one it reads, keep changes flowing; dropping a column the mapping reads sends each change
 * of the table to the dead-letter topic with a reason naming the column, {@code config check} names the key to
 * change, {@code /health} turns DEGRADED naming it, and once the column is back {@code validate --repair} brings
 * the store level with the source. About 30 s.
 */
@ExtendWith(LocalServers.class)
class ColumnChangeIT {
    /** What /health names of a process running every role with pgvector as the only store. */
    private static final String ALL_PARTS = "{\"connector\":\"RUNNING\",\"streams\":\"RUNNING\","
            + "\"mode controller\":\"RUNNING\",\"sink.pgvector\":\"RUNNING\"}";

    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path stateDir;

    private static PipelineFixture fx;
    private static Map<String, String> config;
    private static String table;
    private static Pipeline pipeline;

    @BeforeAll
    static void start() throws Exception {
        fx = new PipelineFixture(LocalServers.get());
        table = "articles_" + fx.suffix;
        fx.createDocumentTable(table);
        config = fx.config(stateDir);
        PipelineFixture.mapCollection(config, "articles", table);
        pipeline = Pipeline.start(AppConfigLoader.load(config, true), EnumSet.allOf(Role.class),
                new SimpleMeterRegistry());
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(fx::dropSlot);
    }

    @Test
    void unmappedColumnsComeAndGoAMappedOneDroppedIsDeadLetteredNamedAndRepaired() throws Exception {
        fx.insertDocuments(table, 1, 10);
        awaitStoreEqualsSource(10);

        fx.sql(fx.sourceDb, "ALTER TABLE " + table + " ADD COLUMN views int NOT NULL DEFAULT 0");
        fx.insertDocuments(table, 11, 15);
        fx.sql(fx.sourceDb, "UPDATE " + table + " SET views = 7, body = body || ' (with views)' WHERE id = 1");
        awaitStoreEqualsSource(15);

        fx.sql(fx.sourceDb, "ALTER TABLE " + table + " DROP COLUMN views");
        fx.sql(fx.sourceDb, "ALTER TABLE " + table + " ALTER COLUMN author TYPE varchar(40)");
        fx.sql(fx.sourceDb, "ALTER TABLE " + table + " ALTER COLUMN title TYPE varchar(200)");
        fx.insertDocuments(table, 16, 20);
        fx.sql(fx.sourceDb, "UPDATE " + table + " SET author = 'editor' WHERE id = 2");
        awaitStoreEqualsSource(20);
        Map<String, PipelineFixture.Doc> beforeTheDrop = fx.stored("articles");

        // The mapping's metadata reads 'author': dropping it breaks every later change of the table.
        fx.sql(fx.sourceDb, "ALTER TABLE " + table + " DROP COLUMN author");
        fx.sql(fx.sourceDb, "INSERT INTO " + table + " (id, title, body) VALUES (21, 'Document 21', 'after the drop')");
        fx.sql(fx.sourceDb, "UPDATE " + table + " SET body = 'edited after the drop' WHERE id = 3");
        List<ConsumerRecord<String, String>> dlq = fx.deadLetters(config.get("pipeline.name") + ".dlq", 2, TIMEOUT);
        assertThat(dlq).extracting(r -> PipelineFixture.header(r, DeadLetterHeaders.ERROR_MESSAGE)).containsOnly(
                "column 'author' mapped by collection 'articles' is not in the change of public." + table);
        assertThat(dlq).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("{\"id\":21}", "{\"id\":3}");
        assertThat(fx.stored("articles")).as("the store keeps the rows as they were").isEqualTo(beforeTheDrop);
        assertThat(pipeline.failure()).isEmpty();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(PipelineFixture.get(pipeline, "/health"))
                .isEqualTo("200 {\"status\":\"DEGRADED\",\"warnings\":[\"column 'author' of public." + table
                        + ", read by collection articles, was dropped or renamed: each later change of the table is"
                        + " dead-lettered. Put the column back or change the mapping ('vectorsync config check' names"
                        + " the key), then run 'vectorsync validate --repair'\"],\"parts\":" + ALL_PARTS + "}"));

        Path file = PipelineFixture.writeConfig(stateDir.resolve("check.properties"), config);
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        assertThat(withStderr(stderr, () -> Main.execute("config", "check", "--config", file.toString())))
                .as("config check exit code").isEqualTo(2);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("collections.articles.metadata", "author",
                "table public." + table + " has no such column");

        // Put the column back (the old values restored), then repair what was dead-lettered meanwhile.
        fx.sql(fx.sourceDb, "ALTER TABLE " + table + " ADD COLUMN author text");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(PipelineFixture.get(pipeline, "/health"))
                .isEqualTo("200 {\"status\":\"UP\",\"parts\":" + ALL_PARTS + "}"));
        fx.sql(fx.sourceDb, "UPDATE " + table + " SET author = 'author' || (id % 7) WHERE id BETWEEN 4 AND 20"
                + " OR id = 1");
        fx.sql(fx.sourceDb, "UPDATE " + table + " SET author = 'editor' WHERE id = 2");
        assertThat(Main.execute("validate", "--config", file.toString(), "--repair", "--repair-timeout", "120"))
                .as("validate --repair exit code").isZero();
        awaitStoreEqualsSource(21);
        assertThat(fx.stored("articles")).containsEntry("3", new PipelineFixture.Doc(
                "Document 3: edited after the drop", null));
    }

    private static void awaitStoreEqualsSource(int rows) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, PipelineFixture.Doc> expected = expected();
            assertThat(expected).hasSize(rows);
            assertThat(fx.stored("articles")).isEqualTo(expected);
        });
    }

    /** Like {@link PipelineFixture#expected}, through any column changes: id → ("{title}: {body}", author). */
    private static Map<String, PipelineFixture.Doc> expected() throws SQLException {
        Map<String, PipelineFixture.Doc> docs = new TreeMap<>();
        try (Connection c = fx.servers.connect(fx.sourceDb); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, title, body, author FROM " + table)) {
            while (rs.next()) {
                docs.put(Integer.toString(rs.getInt(1)), new PipelineFixture.Doc(rs.getString(2) + ": "
                        + rs.getString(3), rs.getString(4)));
            }
        }
        return docs;
    }

    private static int withStderr(ByteArrayOutputStream sink, java.util.function.IntSupplier body) {
        PrintStream before = System.err;
        System.setErr(new PrintStream(sink, true, StandardCharsets.UTF_8));
        try {
            return body.getAsInt();
        } finally {
            System.setErr(before);
        }
    }
}
