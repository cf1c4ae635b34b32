package io.vectorsync.app.cli;

/**
 * A command that runs the service, or a part of it, until stopped ({@code run}, {@code connector}, {@code streams},
 * {@code sink}, {@code demo}, {@code bench}): it keeps vectorsync's INFO logs. Every other command answers a question
 * and logs only warnings unless {@code --verbose} (see {@link CommandLogging}).
 */
public interface ServiceCommand {
}
