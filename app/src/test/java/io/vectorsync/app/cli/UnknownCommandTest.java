package io.vectorsync.app.cli;

import io.vectorsync.app.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** An unknown command is refused with exit code 2, whatever flags follow it; nothing else runs. */
class UnknownCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

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

    @ParameterizedTest
    @ValueSource(strings = {"frobnicate", "frobnicate --help", "frobnicate -h", "frobnicate --version",
            "frobnicate -V", "--help frobnicate", "frobnicate --config x.properties", "mode frobnicate --help"})
    void anUnknownCommandExitsWithTwoAndSaysSo(String line) {
        int code = Main.execute(line.split(" "));

        assertThat(code).as("exit code of `vectorsync %s`", line).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("'frobnicate'");
        assertThat(out.toString(StandardCharsets.UTF_8)).as("stdout").isEmpty();
    }
}
