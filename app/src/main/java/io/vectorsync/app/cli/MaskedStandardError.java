package io.vectorsync.app.cli;

import io.vectorsync.app.logging.MaskingLineStream;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.ParseResult;

import java.io.PrintStream;

/**
 * Runs the command with {@code System.err} masked ({@link MaskingLineStream}): every command prints its failures
 * there, often with a Kafka, JDBC or HTTP client's message, which may quote a URL with its password or the
 * configuration's secrets. One place for every command, present and future, instead of a mask at each print; the
 * caller's stream is restored afterwards, for callers that run commands in-process.
 */
public final class MaskedStandardError implements IExecutionStrategy {
    private final IExecutionStrategy next;

    public MaskedStandardError(IExecutionStrategy next) {
        this.next = next;
    }

    @Override
    public int execute(ParseResult parseResult) {
        PrintStream caller = System.err;
        PrintStream masked = MaskingLineStream.printStream(caller);
        System.setErr(masked);
        try {
            return next.execute(parseResult);
        } finally {
            masked.flush();
            System.setErr(caller);
        }
    }
}
