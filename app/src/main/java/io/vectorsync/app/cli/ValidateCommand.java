package io.vectorsync.app.cli;

import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.pipeline.TopicSetup;
import io.vectorsync.app.validation.ConnectorRedrive;
import io.vectorsync.app.validation.ModeStatuses;
import io.vectorsync.app.validation.ValidationSetup;
import io.vectorsync.connector.redrive.RedriveException;
import io.vectorsync.connector.redrive.Redriver;
import io.vectorsync.core.config.ConfigException;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.SinkUnavailableException;
import io.vectorsync.validation.BadSelectionException;
import io.vectorsync.validation.CheckpointException;
import io.vectorsync.validation.Redrive;
import io.vectorsync.validation.RepairGuard;
import io.vectorsync.validation.RepairOutcome;
import io.vectorsync.validation.ReportFormat;
import io.vectorsync.validation.ResultPublishException;
import io.vectorsync.validation.Selection;
import io.vectorsync.validation.SourceSchemaException;
import io.vectorsync.validation.SourceTable;
import io.vectorsync.validation.SourceUnavailableException;
import io.vectorsync.validation.StoreTally;
import io.vectorsync.validation.ValidationContext.PageHook;
import io.vectorsync.validation.ValidationReport;
import io.vectorsync.validation.Validator;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code vectorsync validate}: compares the source with every store, reports, and on request repairs. */
@Command(name = "validate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare each collection's source rows with its stores and report, per store, the documents"
                + " that are missing, orphaned (no source row), stale (content hash differs) or drifted (vector"
                + " further than validate.drift.max from a fresh embedding of the source text), by their exact ids.",
                "A full scan pages through the source by its id columns and then through each store's ids for"
                        + " orphans; every difference is read again after validate.recheck.delay.ms and only those"
                        + " that persist are reported. A checkpoint is written after every page: the same command"
                        + " after an interruption resumes where it stopped (--restart starts over).",
                "The report goes to stdout (or --output), progress and notices to stderr. A finished run publishes"
                        + " one result per collection and store on <pipeline>.validation for the cutover gate.",
                "With --repair, differing documents are re-driven through the pipeline (rows read again, orphans"
                        + " deleted) and the command waits until they match in every store, then prints 'repaired X"
                        + " of Y' on stderr. Refused while a backfill of the collection is running.",
                "Exit code: 0 every store matches (or everything was repaired), 1 differences remain, 2 bad input"
                        + " or configuration, 3 a server could not be reached."})
public class ValidateCommand implements Callable<Integer> {
    static final int CLEAN = 0;
    static final int DIFFERENCES = 1;
    static final int BAD_INPUT = 2;
    static final int UNREACHABLE = 3;
    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(30);

    @Mixin
    ConfigOptions options;

    @Option(names = "--collection", paramLabel = "NAME",
            description = "Collection to validate; repeatable (default: every configured collection).")
    List<String> collections = new ArrayList<>();

    @Option(names = "--store", paramLabel = "STORE",
            description = "Compare only this store (pgvector, neo4j, milvus); repeatable (default: every store of"
                    + " each collection).")
    List<String> stores = new ArrayList<>();

    @ArgGroup(exclusive = true)
    Scope scope;

    static final class Scope {
        @Option(names = "--sample", paramLabel = "N",
                description = "Compare N source rows picked at random per collection; no orphan pass.")
        Integer sample;

        @Option(names = "--full", description = "Compare every source row and look for orphans (the default).")
        boolean full;
    }

    @Option(names = "--repair", description = "After the report, re-drive the differing documents through the"
            + " pipeline and wait until they match.")
    boolean repair;

    @Option(names = "--repair-timeout", defaultValue = "120", paramLabel = "SECONDS",
            description = "How long --repair waits for the re-driven documents (default ${DEFAULT-VALUE}).")
    long repairTimeoutSeconds;

    @Option(names = "--format", defaultValue = "markdown", paramLabel = "FORMAT",
            description = "markdown (tables and key lists) or json (stable snake_case fields); default"
                    + " ${DEFAULT-VALUE}.")
    ReportFormat format;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the report to FILE instead of stdout.")
    Path output;

    @Option(names = "--restart", description = "Discard unfinished runs' checkpoints and start over.")
    boolean restart;

    @Override
    public Integer call() {
        int sample = scope == null || scope.sample == null ? 0 : scope.sample;
        if (scope != null && scope.sample != null && sample < 1) {
            System.err.println("--sample must be at least 1, was " + sample);
            return BAD_INPUT;
        }
        AppConfig config;
        List<Selection.Target> targets;
        try {
            config = options.load(false);
            targets = Selection.resolve(config.mappings().collections(), collections, stores);
        } catch (ConfigException | BadSelectionException e) {
            System.err.println(e.getMessage());
            return BAD_INPUT;
        }
        try {
            // Creates the validation topic compacted before the first result is published to it; a repair
            // re-drives changes through the pipeline's other topics too.
            String validationTopic = config.kafka().topics().validation();
            TopicSetup.ensure(config.kafka(), config.mappings(), t -> repair || t.equals(validationTopic));
            if (repair && refused(config, targets)) {
                return BAD_INPUT;
            }
            try (ValidationSetup setup = ValidationSetup.open(config, targets, PageHook.always(), System.err,
                    System.console() != null)) {
                Validator.Result result = setup.validator().validate(targets, sample, restart);
                ValidationReport report = result.report().orElseThrow();
                write(report);
                if (report.clean()) {
                    return CLEAN;
                }
                if (!repair || refused(config, targets)) {
                    return DIFFERENCES;
                }
                return repair(config, setup, targets, result.tallies()) ? CLEAN : DIFFERENCES;
            }
        } catch (ConfigException | SourceSchemaException | CheckpointException | UncheckedIOException
                 | IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return BAD_INPUT;
        } catch (SourceUnavailableException | SinkUnavailableException | ResultPublishException | RedriveException
                 | IllegalStateException e) {
            System.err.println(e.getMessage());
            return UNREACHABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.err.println("interrupted; the checkpoint lets the same command resume");
            return DIFFERENCES;
        }
    }

    /** Prints why a repair must wait, if it must. */
    private static boolean refused(AppConfig config, List<Selection.Target> targets) {
        Map<String, ModeStatus> statuses = ModeStatuses.read(config.kafka(), STATUS_TIMEOUT);
        boolean refused = false;
        for (Selection.Target t : targets) {
            Optional<String> reason = RepairGuard.refusal(t.mapping().name(),
                    Optional.ofNullable(statuses.get(t.mapping().name())));
            if (reason.isPresent()) {
                System.err.println(reason.get());
                refused = true;
            }
        }
        return refused;
    }

    private boolean repair(AppConfig config, ValidationSetup setup, List<Selection.Target> targets,
                           Map<String, Map<SinkName, StoreTally>> tallies)
            throws SinkUnavailableException, InterruptedException {
        boolean complete = true;
        try (Redrive redrive = new ConnectorRedrive(new Redriver(config.source(), config.kafka()), System.err)) {
            for (Selection.Target t : targets) {
                Map<SinkName, StoreTally> found = tallies.get(t.mapping().name());
                if (found.values().stream().allMatch(StoreTally::clean)) {
                    continue;
                }
                RepairOutcome outcome;
                try (SourceTable source = setup.source(t.mapping())) {
                    outcome = setup.repairer(redrive).repair(t.mapping(), source, setup.readers(t), found,
                            Duration.ofSeconds(repairTimeoutSeconds));
                }
                System.err.println("repaired " + outcome.repaired() + " of " + outcome.total()
                        + " differing documents of " + outcome.collection()
                        + (outcome.complete() ? "" : "; still differing after " + repairTimeoutSeconds + " s: "
                        + outcome.unrepaired()));
                complete &= outcome.complete();
            }
        }
        return complete;
    }

    private void write(ValidationReport report) {
        String text = format.render(report);
        if (output == null) {
            System.out.print(text);
            System.out.flush();
            return;
        }
        try {
            Files.writeString(output, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + output + ": " + e.getMessage(), e);
        }
        System.err.println("report written to " + output);
    }
}
