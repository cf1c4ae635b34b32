package io.vectorsync.app.cli;

import io.vectorsync.app.Main;
import io.vectorsync.app.logging.SecretMaskingConverter;
import io.vectorsync.core.config.SecretMask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a command prints on stderr — its own error lines with an exception's message, or the stack trace picocli
 * prints for an exception it did not catch — goes out with the configuration's secrets and URL credentials masked.
 */
class MaskedStandardErrorTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedErr;

    @BeforeEach
    void capture() {
        savedErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(savedErr);
        SecretMaskingConverter.use(new SecretMask(List.of()));
    }

    /** Stands for a Kafka command whose client failed with a message quoting the configuration. */
    @Command(name = "leaky")
    static class Leaky implements Callable<Integer> {
        @Override
        public Integer call() {
            // As ConfigOptions.load does once the configuration is read.
            SecretMaskingConverter.use(new SecretMask(List.of("scram-pw-1")));
            System.err.println("could not write the request: login failed for password scram-pw-1");
            System.err.print("partial line with http://op:url-pw@broker:9093 ");
            System.err.println("and the rest");
            throw new IllegalStateException("jaas: ScramLoginModule required username=\"op\" password=\"jaas-pw\";"
                    + " at postgresql://vs:pg-pw@db/x?sslpassword=key-pw");
        }
    }

    @Test
    void aCommandsErrorLinesAndUncaughtStackTraceAreMasked() {
        CommandLine line = Main.commandLine().addSubcommand(new Leaky());

        int code = line.execute("leaky");

        String printed = err.toString(StandardCharsets.UTF_8);
        assertThat(code).isEqualTo(1);
        assertThat(printed).contains("login failed for password ****",
                        "partial line with http://op:****@broker:9093 and the rest",
                        "password=\"****\"", "postgresql://vs:****@db/x?sslpassword=****", "IllegalStateException")
                .doesNotContain("scram-pw-1", "url-pw", "jaas-pw", "pg-pw", "key-pw");
    }

    @Test
    void stderrIsTheCallersAgainAfterTheCommand() {
        PrintStream before = System.err;

        Main.commandLine().addSubcommand(new Leaky()).execute("leaky");

        assertThat(System.err).as("restored").isSameAs(before);
        System.err.println("after scram-pw-1");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("after scram-pw-1");
    }
}
