package io.vectorsync.validation;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * What every validation run of one invocation shares.
 *
 * @param notices where one-line notices go (resuming, re-check), stderr in the CLI
 * @param hook    asked after every page whether to go on; {@link PageHook#always()} outside tests
 * @param clock   epoch milliseconds
 */
public record ValidationContext(ValidationConfig config, TextEmbedder embedder, CheckpointStore checkpoints,
                                ProgressBar progress, PrintStream notices, Sleeper sleeper, PageHook hook,
                                LongSupplier clock) {

    /** Called after every page once its checkpoint is written. */
    @FunctionalInterface
    public interface PageHook {
        /** @return false to stop the run there, as an interruption would: the checkpoint stays */
        boolean proceed(String collection, long pages);

        static PageHook always() {
            return (collection, pages) -> true;
        }
    }

    /** Waits; {@code Thread::sleep} outside tests. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;

        static Sleeper real() {
            return d -> Thread.sleep(d.toMillis());
        }
    }
}
