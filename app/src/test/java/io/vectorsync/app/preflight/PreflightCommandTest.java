package io.vectorsync.app.preflight;

import io.vectorsync.app.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/** The command's contract that needs no server: bad configuration is exit code 2 before anything is contacted. */
class PreflightCommandTest {
    @TempDir
    Path dir;

    @Test
    void badConfigurationExitsWithTwoNamingTheKey() throws Exception {
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, String.join("\n",
                "collections.docs.table=public.docs",
                "collections.docs.id=id",
                "collections.docs.template={body}",
                "embedding.dimension=-1"));

        Captured run = run("preflight", "--config", file.toString());

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("'embedding.dimension' was '-1'");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void helpNamesTheOptionsAndTheExitCodes() {
        Captured run = run("preflight", "--help");

        assertThat(run.code()).isZero();
        // Picocli wraps the description at 80 columns.
        assertThat(run.out().replaceAll("\\s+", " ")).contains("--config").contains("--set")
                .contains("--format").contains("--timeout")
                .contains("0 nothing failed").contains("1 some check failed").contains("2 bad configuration");
    }

    private record Captured(int code, String out, String err) {
    }

    private static Captured run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        System.setOut(new PrintStream(out, true, UTF_8));
        System.setErr(new PrintStream(err, true, UTF_8));
        try {
            int code = Main.execute(args);
            return new Captured(code, out.toString(UTF_8), err.toString(UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }
}
