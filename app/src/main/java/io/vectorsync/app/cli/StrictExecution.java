package io.vectorsync.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Runs the parsed command only when every word was understood. Picocli skips its unmatched-argument check when help
 * or the version is asked for, so {@code vectorsync frobnicate --help} printed the root help and exited 0; an
 * unknown command is refused with exit code 2 whatever follows it.
 */
public final class StrictExecution implements IExecutionStrategy {
    private final IExecutionStrategy next;

    public StrictExecution(IExecutionStrategy next) {
        this.next = next;
    }

    @Override
    public int execute(ParseResult parseResult) {
        for (ParseResult level = parseResult; level != null; level = level.subcommand()) {
            if (!level.unmatched().isEmpty()) {
                CommandLine command = level.commandSpec().commandLine();
                throw new UnmatchedArgumentException(command, level.unmatched());
            }
        }
        return next.execute(parseResult);
    }
}
