package io.vectorsync.app.cli;

import io.vectorsync.app.config.AppConfig;
import io.vectorsync.core.mode.Backfill;
import io.vectorsync.core.mode.ModeRequest;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.mode.RequestOutcome;
import io.vectorsync.core.mode.RollbackPlan;
import io.vectorsync.core.model.StorageMode;
import io.vectorsync.core.model.StorageMode.StoreRole;
import io.vectorsync.migration.mode.ModeStatusFollower;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code vectorsync rollback}: returns a migrating collection to an earlier mode, refilling the legacy store if needed. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Return a migrating collection to an earlier storage mode and say what it does, step by step.",
                "Without --to it goes one step back towards the legacy store: DUAL_WRITE -> SOURCE_ONLY,"
                        + " SHADOW -> DUAL_WRITE, CUTOVER -> DUAL_WRITE, TARGET_ONLY -> CUTOVER -> DUAL_WRITE.",
                "When reads go back to a legacy store that was retired (TARGET_ONLY), it is refilled first: its"
                        + " backfill, an orphan pass (validate --repair: deletes the rows removed while it was"
                        + " retired), a validation, then the move, which the rollback gate allows once the legacy"
                        + " store is caught up and validated.",
                "Exit code: 0 done (or, with --dry-run, the plan printed), 1 refused or a step failed, 2 bad input,"
                        + " 3 no answer in time."})
public class RollbackCommand implements Callable<Integer> {
    private static final Duration GATE_POLL = Duration.ofSeconds(2);

    @Mixin
    ConfigOptions options;

    @Option(names = "--collection", required = true, paramLabel = "NAME", description = "The collection to roll back.")
    String collection;

    @Option(names = "--to", paramLabel = "MODE", description = "The earlier mode to return to (default: one step"
            + " back towards the legacy store, as above).")
    String to;

    @Option(names = "--dry-run", description = "Print the plan and what the first request would meet; change nothing.")
    boolean dryRun;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why; recorded with each request.")
    String reason;

    @Option(names = "--requested-by", paramLabel = "WHO", description = "Who asks (default: user@host).")
    String requestedBy;

    @Option(names = "--timeout", defaultValue = "600", paramLabel = "SECONDS",
            description = "How long each step may take: an answer, the backfill, the orphan pass, the gate"
                    + " (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    public Integer call() {
        Optional<StorageMode> goal;
        try {
            goal = to == null ? Optional.empty() : Optional.of(StorageMode.parse(to));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return ModeCommand.BAD_INPUT;
        }
        AppConfig config = ModeCommand.load(options);
        if (config == null) {
            return ModeCommand.BAD_INPUT;
        }
        if (!config.mappings().migrations().containsKey(collection)) {
            System.err.println("collection '" + collection + "' does not migrate; migrating: "
                    + config.mappings().migrations().keySet());
            return ModeCommand.BAD_INPUT;
        }
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        try (ModeStatusFollower follower = ModeCommand.follower(config)) {
            if (!follower.awaitCaughtUp(timeout)) {
                System.err.println("could not read " + config.kafka().topics().status() + " within " + timeoutSeconds
                        + " s");
                return ModeCommand.TIMED_OUT;
            }
            ModeStatus status = follower.status(collection).orElseGet(() -> ModeStatus.initial(collection,
                    config.mappings().migrations().get(collection), System.currentTimeMillis()));
            RollbackPlan.Plan planned = RollbackPlan.of(status, goal);
            if (planned.plan().isEmpty()) {
                System.out.println("REFUSED: " + planned.refusal().orElseThrow());
                return ModeCommand.REFUSED;
            }
            RollbackPlan plan = planned.plan().get();
            System.out.println("rollback of " + collection + ": " + plan.from() + " -> " + plan.to());
            for (int i = 0; i < plan.steps().size(); i++) {
                System.out.println("  " + (i + 1) + ". " + plan.steps().get(i).describe());
            }
            if (dryRun) {
                RollbackPlan.Request first = (RollbackPlan.Request) plan.steps().stream()
                        .filter(s -> s instanceof RollbackPlan.Request).findFirst().orElseThrow();
                Optional<RequestOutcome> would = request(config, follower, first.mode(), true, timeout);
                would.ifPresent(o -> ModeCommand.print(o, System.out));
                return would.isEmpty() ? ModeCommand.TIMED_OUT : ModeCommand.APPLIED;
            }
            for (int i = 0; i < plan.steps().size(); i++) {
                System.out.println("step " + (i + 1) + ": " + plan.steps().get(i).describe());
                int code = run(plan.steps().get(i), config, follower, timeout);
                if (code != ModeCommand.APPLIED) {
                    System.out.println("stopped at step " + (i + 1) + "; the collection is in "
                            + follower.status(collection).map(ModeStatus::mode).orElse(plan.from())
                            + " (vectorsync mode status)");
                    return code;
                }
            }
            System.out.println("done: " + collection + " is in " + plan.to());
            return ModeCommand.APPLIED;
        } catch (ModeCommand.KafkaUnreachableException e) {
            System.err.println(e.getMessage());
            return ModeCommand.TIMED_OUT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.err.println("interrupted");
            return ModeCommand.TIMED_OUT;
        }
    }

    private int run(RollbackPlan.Step step, AppConfig config, ModeStatusFollower follower, Duration timeout)
            throws InterruptedException {
        if (step instanceof RollbackPlan.Request r) {
            return requestWhenOpen(config, follower, r.mode(), timeout);
        }
        if (step instanceof RollbackPlan.AwaitBackfill) {
            return awaitBackfill(follower, timeout);
        }
        return validate((RollbackPlan.Validate) step);
    }

    /**
     * Asks with a dry run until the request would apply (a gated rollback waits for its gate), then for real; a
     * refusal that waiting cannot cure (an illegal move) ends it at once.
     */
    private int requestWhenOpen(AppConfig config, ModeStatusFollower follower, StorageMode mode, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        RequestOutcome last = null;
        while (System.nanoTime() < deadline) {
            Optional<RequestOutcome> would = request(config, follower, mode, true, timeout);
            if (would.isEmpty()) {
                return ModeCommand.TIMED_OUT;
            }
            last = would.get();
            if (!last.result().refused()) {
                Optional<RequestOutcome> done = request(config, follower, mode, false, timeout);
                if (done.isEmpty()) {
                    return ModeCommand.TIMED_OUT;
                }
                ModeCommand.print(done.get(), System.out);
                return done.get().result().refused() ? ModeCommand.REFUSED : ModeCommand.APPLIED;
            }
            if (last.reasons().stream().noneMatch(r -> r.contains("gate closed") || r.contains("backfilled"))) {
                break;
            }
            Thread.sleep(GATE_POLL.toMillis());
        }
        if (last != null) {
            ModeCommand.print(last, System.out);
        }
        return ModeCommand.REFUSED;
    }

    private Optional<RequestOutcome> request(AppConfig config, ModeStatusFollower follower, StorageMode mode,
                                             boolean dry, Duration timeout) {
        long epoch = follower.statuses().values().stream().mapToLong(ModeStatus::epoch).max().orElse(0);
        ModeRequest request = new ModeRequest(UUID.randomUUID().toString(), collection, mode,
                requestedBy != null ? requestedBy : ModeCommand.whoAmI(),
                reason != null ? reason : "vectorsync rollback", dry, false, epoch);
        ModeCommand.send(config, ModeCommand.controlTopic(config), request);
        Optional<RequestOutcome> outcome = follower.awaitOutcome(request.requestId(), timeout);
        if (outcome.isEmpty()) {
            System.err.println("no answer on " + config.kafka().topics().status() + " within " + timeoutSeconds
                    + " s: is a vectorsync service with the streams role running? (request " + request.requestId()
                    + ")");
        }
        return outcome;
    }

    private int awaitBackfill(ModeStatusFollower follower, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            Backfill b = follower.status(collection).map(ModeStatus::backfill).orElse(null);
            if (b != null && b.store() == StoreRole.LEGACY) {
                if (!b.describe().equals(last)) {
                    last = b.describe();
                    System.out.println("  backfill " + b.id() + ": " + last);
                }
                if (b.state() == Backfill.State.COMPLETED) {
                    return ModeCommand.APPLIED;
                }
                if (b.state() == Backfill.State.ABORTED) {
                    return ModeCommand.REFUSED;
                }
            }
            Thread.sleep(GATE_POLL.toMillis() / 2);
        }
        System.out.println("  the backfill did not complete within " + timeoutSeconds + " s");
        return ModeCommand.TIMED_OUT;
    }

    /** Runs {@code vectorsync validate} on the legacy store with this command's configuration. */
    private int validate(RollbackPlan.Validate v) {
        List<String> args = new ArrayList<>(List.of("--config", options.file.toString(), "--collection", collection,
                "--store", v.store().id(), "--full"));
        for (Map.Entry<String, String> e : options.overrides.entrySet()) {
            args.add("--set");
            args.add(e.getKey() + "=" + e.getValue());
        }
        if (v.repair()) {
            args.addAll(List.of("--repair", "--repair-timeout", Long.toString(timeoutSeconds)));
        }
        int code = new CommandLine(new ValidateCommand()).setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args.toArray(String[]::new));
        return code == ValidateCommand.CLEAN ? ModeCommand.APPLIED : ModeCommand.REFUSED;
    }
}
