package io.vectorsync.app.cli;

import io.vectorsync.app.Main;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/** Which command lines log only warnings: those that answer a question, unless --verbose. */
class CommandLoggingTest {

    @ParameterizedTest
    @CsvSource({
            "'mode set DUAL_WRITE -c f', true",
            "'mode status -c f', true",
            "'status --json', true",
            "'validate -c f', true",
            "'config check -c f', true",
            "'mode set DUAL_WRITE -c f --verbose', false",
            "'--verbose mode status -c f', false",
            "'mode --verbose status -c f', false",
            "'status --verbose', false",
            "'run -c f', false",
            "'sink -c f', false",
            "'demo', false",
            "'bench', false"})
    void questionsAreQuietUnlessVerbose(String line, boolean quiet) {
        CommandLine.ParseResult parsed = Main.commandLine().parseArgs(line.split(" "));

        assertThat(CommandLogging.quiet(parsed)).as(line).isEqualTo(quiet);
    }
}
