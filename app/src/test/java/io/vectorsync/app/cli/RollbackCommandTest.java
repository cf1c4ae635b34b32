package io.vectorsync.app.cli;

import io.vectorsync.app.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input to {@code vectorsync rollback} is refused with exit code 2 before anything is asked of Kafka. */
class RollbackCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @TempDir
    Path dir;

    @BeforeEach
    void capture() {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    @Test
    void anUnknownModeIsNamed() {
        assertThat(Main.execute("rollback", "--collection", "articles", "--config", "x.properties", "--to", "SIDEWAYS"))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("SIDEWAYS");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void theCollectionIsRequired() {
        assertThat(Main.execute("rollback", "--config", "x.properties")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--collection");
    }

    @Test
    void aCollectionThatDoesNotMigrateIsRefusedNamingTheOnesThatDo() throws IOException {
        Path config = dir.resolve("c.properties");
        Files.writeString(config, """
                collections.articles.table=public.articles
                collections.articles.id=id
                collections.articles.template={title}
                collections.articles.legacy=pgvector
                collections.articles.target=milvus
                collections.notes.table=public.notes
                collections.notes.id=id
                collections.notes.template={body}
                """);

        assertThat(Main.execute("rollback", "--collection", "notes", "--config", config.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("collection 'notes' does not migrate; migrating:"
                + " [articles]");
    }
}
