package io.vectorsync.connector.watch;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.TableId;
import io.vectorsync.core.model.TextTemplate;
import io.vectorsync.core.source.SourceDatabase;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The watch against a real PostgreSQL: renames, drops and re-creations of captured tables. */
@ExtendWith(LocalServers.class)
class CapturedTableWatchIT {
    private static final TableId ARTICLES = new TableId("public", "articles");
    private static final TableId NOTES = new TableId("public", "notes");

    private Services servers;
    private String database;
    private CapturedTableWatch watch;
    private long now = 1_000;

    @BeforeEach
    void tables() throws SQLException {
        servers = LocalServers.get();
        database = servers.freshDatabase("table_watch_it");
        sql("CREATE TABLE articles (id int PRIMARY KEY, body text)", "CREATE TABLE notes (id int PRIMARY KEY)");
        watch = new CapturedTableWatch(source(), List.of(mapping("articles", ARTICLES, "{body}"),
                mapping("articles_graph", ARTICLES, "{body}"), mapping("notes", NOTES, "note {id}")), () -> now);
    }

    private static CollectionMapping mapping(String name, TableId table, String template, String... metadata) {
        return new CollectionMapping(name, table, List.of("id"), TextTemplate.parse(template), List.of(metadata),
                Set.of(SinkName.PGVECTOR));
    }

    private SourceDatabase source() {
        return new SourceDatabase(servers.pgHost(), servers.pgPort(), database, "postgres", "");
    }

    @Test
    void aRenamedTableIsNamedWithItsNewNameUntilItIsBack() throws SQLException {
        watch.check();
        assertThat(watch.missing()).isEmpty();

        sql("ALTER TABLE articles RENAME TO posts");
        now = 2_000;
        watch.check();
        assertThat(watch.missing()).containsExactly(new MissingTable(ARTICLES, List.of("articles", "articles_graph"),
                Optional.of("public.posts"), 2_000));
        assertThat(watch.missing().get(0).describe()).isEqualTo("captured table public.articles (collections"
                + " articles, articles_graph) was renamed to public.posts: its changes are no longer captured. To"
                + " follow the rename, set the collection's table to public.posts, restart, then run 'vectorsync"
                + " validate --repair' (README: 'A captured table is renamed')");

        now = 3_000;
        watch.check();
        assertThat(watch.missing()).extracting(MissingTable::sinceMs).containsExactly(2_000L);

        sql("ALTER TABLE posts RENAME TO articles");
        watch.check();
        assertThat(watch.missing()).isEmpty();
    }

    @Test
    void aDroppedTableIsReportedAsDroppedAndARecreatedOneIsCapturedAgain() throws SQLException {
        watch.check();
        sql("DROP TABLE notes");
        watch.check();
        assertThat(watch.missing()).singleElement().satisfies(m -> {
            assertThat(m.table()).isEqualTo(NOTES);
            assertThat(m.renamedTo()).isEmpty();
            assertThat(m.describe()).isEqualTo("captured table public.notes (collection notes) was dropped (or"
                    + " renamed and then dropped): its changes are no longer captured. Restore the table or remove"
                    + " the collection from the configuration");
        });

        sql("CREATE TABLE notes (id int PRIMARY KEY)");
        watch.check();
        assertThat(watch.missing()).isEmpty();
    }

    @Test
    void aTableMovedToAnotherSchemaCountsAsRenamed() throws SQLException {
        sql("CREATE SCHEMA archive");
        watch.check();
        sql("ALTER TABLE articles SET SCHEMA archive");
        watch.check();
        assertThat(watch.missing()).extracting(MissingTable::renamedTo).containsExactly(Optional.of("archive.articles"));
    }

    @Test
    void theRunningWatchSeesARenameWithinItsIntervalAndCountsIt() throws SQLException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (CapturedTableWatch running = CapturedTableWatch.start(source(), List.of(mapping("articles", ARTICLES, "{body}")),
                Duration.ofMillis(200), registry)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.get("vectorsync.capture.tables.missing")
                    .gauge().value() == 0.0);
            sql("ALTER TABLE articles RENAME TO posts");
            await().atMost(Duration.ofSeconds(10)).until(() -> running.missing().size() == 1);
            assertThat(running.missing().get(0).renamedTo()).hasValue("public.posts");
            assertThat(registry.get("vectorsync.capture.tables.missing").gauge().value()).isEqualTo(1.0);
        }
    }

    @Test
    void aMappedColumnDroppedOrRenamedIsReportedUntilItIsBackAndAnUnmappedOneIsNot() throws SQLException {
        CapturedTableWatch columns = new CapturedTableWatch(source(), List.of(
                mapping("articles", ARTICLES, "{body}", "author"), mapping("by_author", ARTICLES, "{author}")),
                () -> now);
        sql("ALTER TABLE articles ADD COLUMN author text, ADD COLUMN views int");
        columns.check();
        assertThat(columns.warnings()).isEmpty();

        sql("ALTER TABLE articles DROP COLUMN views", "ALTER TABLE articles ALTER COLUMN body TYPE varchar(300)");
        columns.check();
        assertThat(columns.warnings()).as("unmapped column dropped, mapped one retyped").isEmpty();

        sql("ALTER TABLE articles RENAME COLUMN author TO writer");
        now = 5_000;
        columns.check();
        assertThat(columns.missingColumns()).containsExactly(new MissingColumn(ARTICLES, "author",
                List.of("articles", "by_author"), 5_000));
        assertThat(columns.warnings()).containsExactly("column 'author' of public.articles, read by collections"
                + " articles, by_author, was dropped or renamed: each later change of the table is dead-lettered."
                + " Put the column back or change the mapping ('vectorsync config check' names the key), then run"
                + " 'vectorsync validate --repair'");

        sql("ALTER TABLE articles RENAME COLUMN writer TO author");
        columns.check();
        assertThat(columns.warnings()).isEmpty();

        sql("ALTER TABLE articles RENAME TO posts");
        columns.check();
        assertThat(columns.missingColumns()).as("a missing table is reported as a table, not column by column")
                .isEmpty();
        assertThat(columns.missing()).hasSize(1);
    }

    @Test
    void whileTheSourceCannotBeAskedTheLastAnswerStands() throws SQLException {
        watch.check();
        sql("DROP TABLE notes");
        watch.check();
        try (Connection admin = servers.connect("postgres"); Statement s = admin.createStatement()) {
            s.execute("ALTER DATABASE " + database + " WITH ALLOW_CONNECTIONS false");
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
            assertThatThrownBy(watch::check).isInstanceOf(SQLException.class);
            assertThat(watch.missing()).extracting(MissingTable::table).containsExactly(NOTES);
            s.execute("ALTER DATABASE " + database + " WITH ALLOW_CONNECTIONS true");
        }
        sql("CREATE TABLE notes (id int PRIMARY KEY)");
        watch.check();
        assertThat(watch.missing()).isEmpty();
    }

    private void sql(String... statements) throws SQLException {
        try (Connection c = servers.connect(database); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
