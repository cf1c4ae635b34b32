package io.vectorsync.app;

import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code vectorsync config init} against the real source PostgreSQL: the draft it writes passes {@code config check}. */
@ExtendWith(LocalServers.class)
class ConfigInitIT {
    private static final String PASSWORD = "not-in-the-file-3141";

    @TempDir
    static Path dir;

    private static Services servers;
    private static String database;

    record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void tables() throws Exception {
        servers = LocalServers.get();
        database = servers.freshDatabase("init");
        try (Connection c = servers.connect(database); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE articles (id int PRIMARY KEY, title text NOT NULL, body varchar NOT NULL,"
                    + " status varchar(20), author_id bigint, tags text[], published timestamptz, photo bytea)");
            s.execute("INSERT INTO articles (id, title, body, status) SELECT i, 'Title ' || i, 'Body ' || i, 'draft'"
                    + " FROM generate_series(1, 3) i");
            s.execute("CREATE SCHEMA shop");
            s.execute("CREATE TABLE shop.items (region char(2), sku varchar(16), name varchar(40), price numeric,"
                    + " PRIMARY KEY (region, sku))");
            s.execute("CREATE TABLE events (at timestamptz, line text)");
            s.execute("CREATE TABLE counters (id int PRIMARY KEY, n bigint)");
            s.execute("CREATE TABLE vectorsync_heartbeat (id int PRIMARY KEY, note text)");
        }
    }

    @Test
    void writesOneCollectionPerTableWithAKeyAndTextAndTheDraftIsValidAgainstTheLiveSource() throws Exception {
        Path file = dir.resolve("draft.properties");
        Run run = init(file, "--schema", "public,shop", "--sinks", "pgvector,neo4j");

        assertThat(run.code()).as(run.toString()).isZero();
        String text = Files.readString(file);
        assertThat(text).contains(
                "source.database=" + database,
                "collections.articles.table=public.articles",
                "collections.articles.id=id",
                "collections.articles.template={title}: {body}",
                "collections.articles.metadata=status,author_id,tags,published",
                "collections.articles.sinks=pgvector,neo4j",
                "# public.articles: 3 rows; primary key (id)",
                "# left out: photo (bytea)",
                "collections.items.table=shop.items",
                "collections.items.id=region,sku",
                "collections.items.template={name}",
                "collections.items.metadata=price",
                "#   public.events: no primary key",
                "#   public.counters: no text column to embed",
                "#   public.vectorsync_heartbeat: the connector's own signal or heartbeat table",
                "# source.password is a secret and is not written here: add source.password=${env:NAME}");
        assertThat(text).doesNotContain(PASSWORD);
        assertThat(run.out()).contains("public.articles", "collection articles", "not mapped: no primary key",
                "wrote " + file + ": 2 of 5 tables mapped", "configuration is valid").doesNotContain(PASSWORD);

        Run check = cli("config", "check", "--config", file.toString(), "--set", "source.password=" + PASSWORD);
        assertThat(check.code()).as(check.toString()).isZero();
    }

    @Test
    void anExistingFileIsKeptUnlessForcedAndAnUnknownTableIsNamed() throws Exception {
        Path file = dir.resolve("existing.properties");
        Files.writeString(file, "keep me\n");

        Run refused = init(file);
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains(file + " exists; choose another --output or add --force");
        assertThat(Files.readString(file)).isEqualTo("keep me\n");

        Run unknown = init(file, "--force", "--table", "articles,nope");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("--table: no such table in schemas [public]: nope");

        // A secret given as a reference is kept as the reference: the file never holds the value.
        Path secret = dir.resolve("pg-password");
        Files.writeString(secret, PASSWORD + "\n");
        Run forced = init(file, "--force", "--table", "articles", "--legacy", "pgvector", "--target", "milvus",
                "--set", "sink.milvus.uri=" + servers.milvusUri(), "--set", "source.password=${file:" + secret + "}");
        assertThat(forced.code()).as(forced.toString()).isZero();
        assertThat(Files.readString(file)).contains("collections.articles.legacy=pgvector",
                "collections.articles.target=milvus", "source.password=${file:" + secret + "}")
                .doesNotContain("keep me", "collections.counters", PASSWORD);
    }

    @Test
    void anUnreachableSourceOrABadKeyIsAClearError() throws Exception {
        Run bad = cli("config", "init", "-o", dir.resolve("bad.properties").toString(), "--set", "source.port=0",
                "--set", "source.hots=x");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("source.port", "source.hots");

        Run down = cli("config", "init", "-o", dir.resolve("down.properties").toString(), "--set",
                "source.host=127.0.0.1", "--set", "source.port=1", "--set", "source.password=" + PASSWORD);
        assertThat(down.code()).isEqualTo(3);
        assertThat(down.err()).contains("the source database 127.0.0.1:1").doesNotContain(PASSWORD);
        assertThat(dir.resolve("down.properties")).doesNotExist();
    }

    private static Run init(Path file, String... more) {
        List<String> args = new ArrayList<>(List.of("config", "init", "-o", file.toString(),
                "--set", "source.host=" + servers.pgHost(), "--set", "source.port=" + servers.pgPort(),
                "--set", "source.database=" + database, "--set", "source.password=" + PASSWORD,
                "--set", "kafka.bootstrap.servers=" + servers.kafkaBootstrap()));
        args.addAll(List.of(more));
        return cli(args.toArray(String[]::new));
    }

    /** Runs a command in this JVM with stdout and stderr captured. */
    private static synchronized Run cli(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try (PrintStream co = new PrintStream(o, true, StandardCharsets.UTF_8);
             PrintStream ce = new PrintStream(e, true, StandardCharsets.UTF_8)) {
            System.setOut(co);
            System.setErr(ce);
            int code = Main.execute(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
