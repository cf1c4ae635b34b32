package io.vectorsync.app;

import io.vectorsync.app.cli.BenchCommand;
import io.vectorsync.app.cli.CommandLogging;
import io.vectorsync.app.cli.ConfigCommand;
import io.vectorsync.app.cli.DemoCommand;
import io.vectorsync.app.cli.DlqCommand;
import io.vectorsync.app.cli.InspectCommand;
import io.vectorsync.app.cli.ModeCommand;
import io.vectorsync.app.cli.PreflightCommand;
import io.vectorsync.app.cli.RollbackCommand;
import io.vectorsync.app.cli.SearchCommand;
import io.vectorsync.app.cli.SearchQualityCommand;
import io.vectorsync.app.cli.MaskedStandardError;
import io.vectorsync.app.cli.StrictExecution;
import io.vectorsync.app.logging.MaskingLineStream;
import io.vectorsync.app.cli.StatusCommand;
import io.vectorsync.app.cli.RunCommand;
import io.vectorsync.app.cli.ValidateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.PrintStream;

/** {@code vectorsync}: the command line. */
@Command(name = "vectorsync", mixinStandardHelpOptions = true, version = "vectorsync 0.1.0",
        description = "Change data capture from PostgreSQL into vector stores, with embeddings.",
        subcommands = {RunCommand.class, RunCommand.Connector.class, RunCommand.Streams.class, RunCommand.Sink.class,
                ModeCommand.class, StatusCommand.class, ValidateCommand.class, SearchCommand.class,
                SearchQualityCommand.class, DemoCommand.class,
                InspectCommand.class, BenchCommand.class, ConfigCommand.class, PreflightCommand.class, DlqCommand.class,
                RollbackCommand.class})
public final class Main {

    // Read from the parse result by CommandLogging; declared here so that every command accepts and documents it.
    @Option(names = CommandLogging.VERBOSE, scope = ScopeType.INHERIT,
            description = "Log vectorsync's progress (INFO) on stderr. Commands that answer a question (mode,"
                    + " status, validate, search, inspect, preflight, config …) otherwise log only warnings;"
                    + " run, connector, streams, sink, demo and bench always log it.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The command line as {@link #execute} runs it. */
    public static CommandLine commandLine() {
        CommandLine.IExecutionStrategy run = new StrictExecution(new MaskedStandardError(
                new CommandLogging(new CommandLine.RunLast())));
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).setExecutionStrategy(run)
                .setExecutionExceptionHandler(Main::printMasked);
    }

    /**
     * An exception no command caught: its stack trace, masked as System.err is while a command runs (picocli would
     * print it after the strategy has returned, to a writer of its own), and picocli's exit code for it.
     */
    private static int printMasked(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
        PrintStream masked = MaskingLineStream.printStream(System.err);
        e.printStackTrace(masked);
        masked.flush();
        return command.getExitCodeExceptionMapper() != null ? command.getExitCodeExceptionMapper().getExitCode(e)
                : command.getCommandSpec().exitCodeOnExecutionException();
    }
}
