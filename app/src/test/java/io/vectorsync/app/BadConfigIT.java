package io.vectorsync.app;

import io.vectorsync.app.config.AppConfigLoader;
import io.vectorsync.core.config.ConfigException;
import io.vectorsync.testkit.LocalServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Bad configuration fails start-up with one message naming every bad key and value, checked against the source. */
@ExtendWith(LocalServers.class)
class BadConfigIT {

    @TempDir
    Path state;

    @Test
    void everyProblemIsListedInOneMessageNamingKeyAndValue() throws Exception {
        PipelineFixture fx = new PipelineFixture(LocalServers.get());
        String table = "docs_" + fx.suffix;
        fx.createDocumentTable(table);
        Map<String, String> config = fx.config(state);
        config.put("collections.ghost.table", "public.no_such_table");
        config.put("collections.ghost.id", "id");
        config.put("collections.ghost.template", "{title}");
        config.put("collections.docs.table", "public." + table);
        config.put("collections.docs.id", "doc_id");
        config.put("collections.docs.template", "{title}: {summary}");
        config.put("embedding.batch.size", "-5");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> AppConfigLoader.load(config, true));

        assertThat(e).as("start-up must fail").isNotNull();
        assertThat(e.problems()).hasSize(4);
        assertThat(e.getMessage())
                .contains("'collections.ghost.table' was 'public.no_such_table'")
                .contains("'collections.docs.id' was 'doc_id'")
                .contains("'collections.docs.template'").contains("summary")
                .contains("'embedding.batch.size' was '-5'");
    }

    @Test
    void theCliPrintsTheProblemsAndExitsNonZero() throws Exception {
        PipelineFixture fx = new PipelineFixture(LocalServers.get());
        Map<String, String> config = fx.config(state);
        config.put("collections.ghost.table", "public.no_such_table");
        config.put("collections.ghost.id", "id");
        config.put("collections.ghost.template", "{title}");
        config.put("sink.batch.size", "0");
        Path file = state.resolve("bad.properties");
        Files.writeString(file, String.join("\n", config.entrySet().stream()
                .map(en -> en.getKey() + "=" + en.getValue()).toList()));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        int code;
        System.setErr(new PrintStream(err, true, UTF_8));
        try {
            code = Main.execute("config", "check", "--config", file.toString());
        } finally {
            System.setErr(original);
        }
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(UTF_8))
                .contains("invalid configuration, 2 problems")
                .contains("'collections.ghost.table' was 'public.no_such_table'")
                .contains("'sink.batch.size' was '0'");
    }
}
