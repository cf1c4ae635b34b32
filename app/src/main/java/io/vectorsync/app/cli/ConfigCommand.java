package io.vectorsync.app.cli;

import io.vectorsync.app.config.ConfigKeys;
import io.vectorsync.core.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code vectorsync config init|reference|check}. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Configuration: a starting file from the source's catalog, the reference, and checks.",
        subcommands = {ConfigInitCommand.class, ConfigCommand.Reference.class, ConfigCommand.Check.class})
public class ConfigCommand {

    @Command(name = "reference", mixinStandardHelpOptions = true,
            description = "Print every configuration key with its default and description (Markdown).")
    static class Reference implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.print(ConfigKeys.markdown());
            return 0;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validate a configuration file, including against the live source database.")
    static class Check implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Override
        public Integer call() {
            try {
                options.load(true);
                System.out.println("configuration is valid");
                return 0;
            } catch (ConfigException e) {
                System.err.println(e.getMessage());
                return 2;
            }
        }
    }
}
