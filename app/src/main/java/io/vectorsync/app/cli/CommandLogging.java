package io.vectorsync.app.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.ParseResult;

/**
 * Sets vectorsync's log level for the command about to run, before it logs anything: a command that answers a
 * question ({@code mode}, {@code status}, {@code validate}, …) prints its answer, so vectorsync logs only warnings
 * (on stderr) unless {@code --verbose}; a {@link ServiceCommand} keeps INFO. {@code -Dvectorsync.log.level} set by
 * the user wins over both. The level is restored afterwards, for callers that run commands in-process.
 */
public final class CommandLogging implements IExecutionStrategy {
    public static final String VERBOSE = "--verbose";
    static final String LOGGER = "io.vectorsync";
    static final String LEVEL_PROPERTY = "vectorsync.log.level";

    private final IExecutionStrategy next;

    public CommandLogging(IExecutionStrategy next) {
        this.next = next;
    }

    @Override
    public int execute(ParseResult parseResult) {
        if (!quiet(parseResult)) {
            return next.execute(parseResult);
        }
        Level before = LoggerContext.getContext(false).getConfiguration().getLoggerConfig(LOGGER).getLevel();
        Configurator.setLevel(LOGGER, Level.WARN);
        try {
            return next.execute(parseResult);
        } finally {
            Configurator.setLevel(LOGGER, before);
        }
    }

    /** Whether the command answers a question, was not asked to be verbose, and no level was set explicitly. */
    static boolean quiet(ParseResult parseResult) {
        if (System.getProperty(LEVEL_PROPERTY) != null) {
            return false;
        }
        ParseResult leaf = parseResult;
        for (ParseResult level = parseResult; level != null; level = level.subcommand()) {
            if (level.hasMatchedOption(VERBOSE)) {
                return false;
            }
            leaf = level;
        }
        return !(leaf.commandSpec().userObject() instanceof ServiceCommand);
    }
}
