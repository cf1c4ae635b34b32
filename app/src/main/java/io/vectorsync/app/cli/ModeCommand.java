package io.vectorsync.app.cli;

import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.pipeline.TopicSetup;
import io.vectorsync.connector.CdcPublisher;
import io.vectorsync.core.config.ConfigException;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.kafka.KafkaDenied;
import io.vectorsync.core.mode.ModeRequest;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.mode.RequestOutcome;
import io.vectorsync.core.model.StorageMode;
import io.vectorsync.migration.mode.ModeStatusFollower;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code vectorsync mode status} and {@code vectorsync mode set MODE}: storage modes through the control topic. */
@Command(name = "mode", mixinStandardHelpOptions = true,
        description = "Show or change the storage mode of migrating collections.",
        subcommands = {ModeCommand.Status.class, ModeCommand.Set.class})
public class ModeCommand {
    static final int APPLIED = 0;
    static final int REFUSED = 1;
    static final int BAD_INPUT = 2;
    static final int TIMED_OUT = 3;

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Print each migrating collection's applied mode, epoch, stores, backfill progress and last"
                    + " request, as the status topic says.")
    public static class Status implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Option(names = "--json", description = "Print the statuses as JSON.")
        boolean json;

        @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS",
                description = "How long to wait for Kafka (default ${DEFAULT-VALUE}).")
        long timeoutSeconds;

        @Override
        public Integer call() {
            AppConfig config = load(options);
            if (config == null) {
                return BAD_INPUT;
            }
            try (ModeStatusFollower follower = follower(config)) {
                if (!follower.awaitCaughtUp(Duration.ofSeconds(timeoutSeconds))) {
                    System.err.println("could not read " + config.kafka().topics().status() + " at "
                            + config.kafka().bootstrapServers() + " within " + timeoutSeconds + " s");
                    return TIMED_OUT;
                }
                Map<String, ModeStatus> statuses = follower.statuses();
                if (json) {
                    System.out.println(Json.write(statuses));
                } else {
                    print(statuses, System.out);
                }
                return APPLIED;
            } catch (KafkaUnreachableException e) {
                System.err.println(e.getMessage());
                return TIMED_OUT;
            }
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Request a storage mode, wait for the answer on the status topic and print it. Exit code:"
                    + " 0 applied (or would apply, with --dry-run), 1 refused, 2 bad input, 3 no answer in time.")
    public static class Set implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Parameters(index = "0", paramLabel = "MODE",
                description = "SOURCE_ONLY, DUAL_WRITE, SHADOW, CUTOVER or TARGET_ONLY.")
        String mode;

        @Option(names = "--collection", defaultValue = ModeRequest.ALL, paramLabel = "NAME",
                description = "The collection to move (default: ${DEFAULT-VALUE} migrating collections).")
        String collection;

        @Option(names = "--dry-run", description = "Say what would happen and why, change nothing.")
        boolean dryRun;

        @Option(names = "--force", description = "Move into CUTOVER although the gate is closed; recorded in the"
                + " status.")
        boolean force;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why; recorded in the status.")
        String reason;

        @Option(names = "--requested-by", paramLabel = "WHO", description = "Who asks (default: user@host).")
        String requestedBy;

        @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS",
                description = "How long to wait for the answer (default ${DEFAULT-VALUE}).")
        long timeoutSeconds;

        @Override
        public Integer call() {
            StorageMode target;
            try {
                target = StorageMode.parse(mode);
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                return BAD_INPUT;
            }
            AppConfig config = load(options);
            if (config == null) {
                return BAD_INPUT;
            }
            Duration timeout = Duration.ofSeconds(timeoutSeconds);
            try (ModeStatusFollower follower = follower(config)) {
                if (!follower.awaitCaughtUp(timeout)) {
                    System.err.println("could not read " + config.kafka().topics().status() + " within "
                            + timeoutSeconds + " s");
                    return TIMED_OUT;
                }
                long epoch = follower.statuses().values().stream().mapToLong(ModeStatus::epoch).max().orElse(0);
                ModeRequest request = new ModeRequest(UUID.randomUUID().toString(), collection, target,
                        requestedBy != null ? requestedBy : whoAmI(), reason, dryRun, force, epoch);
                send(config, controlTopic(config), request);
                Optional<RequestOutcome> outcome = follower.awaitOutcome(request.requestId(), timeout);
                if (outcome.isEmpty()) {
                    System.err.println("no answer on " + config.kafka().topics().status() + " within " + timeoutSeconds
                            + " s: is a vectorsync service with the streams role running? (request "
                            + request.requestId() + ")");
                    return TIMED_OUT;
                }
                print(outcome.get(), System.out);
                return outcome.get().result().refused() ? REFUSED : APPLIED;
            } catch (KafkaUnreachableException e) {
                System.err.println(e.getMessage());
                return TIMED_OUT;
            }
        }
    }

    static void print(RequestOutcome o, PrintStream out) {
        out.println(o.result() + ": " + o.collection() + " -> " + o.mode() + " (epoch " + o.epoch()
                + (o.forced() ? ", FORCED" : "") + ")");
        o.actions().forEach(a -> out.println("  " + a));
        String label = o.result().refused() ? "  refused: " : "  overridden: ";
        o.reasons().forEach(r -> out.println(label + r));
    }

    static void print(Map<String, ModeStatus> statuses, PrintStream out) {
        if (statuses.isEmpty()) {
            out.println("no migrating collection has a status yet (is a vectorsync service with the streams role"
                    + " running?)");
            return;
        }
        String format = "%-20s %-12s %6s %-9s %-9s %-9s %-32s %s%n";
        out.printf(format, "COLLECTION", "MODE", "EPOCH", "LEGACY", "TARGET", "READS", "BACKFILL", "UPDATED");
        statuses.forEach((c, s) -> out.printf(format, c, s.mode(), s.epoch(), s.legacy(), s.target(), s.readStore(),
                s.backfill() == null ? "-" : s.backfill().store().id() + " " + s.backfill().describe(),
                Instant.ofEpochMilli(s.updatedAtMs()) + " by " + s.requestedBy()));
        statuses.forEach((c, s) -> {
            if (s.lastRequest() != null && s.lastRequest().result().refused()) {
                out.println(c + ": last request (" + s.lastRequest().mode() + " by " + s.lastRequest().requestedBy()
                        + ") was refused: " + String.join("; ", s.lastRequest().reasons()));
            }
        });
    }

    static AppConfig load(ConfigOptions options) {
        try {
            return options.load(false);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return null;
        }
    }

    /** @throws KafkaUnreachableException when the status topic cannot be read */
    static ModeStatusFollower follower(AppConfig config) {
        ModeStatusFollower follower = new ModeStatusFollower(config.kafka());
        try {
            follower.start();
        } catch (IllegalStateException e) {
            follower.close();
            throw new KafkaUnreachableException(e.getMessage(), e);
        }
        return follower;
    }

    /** Kafka could not be read or written: reported in one line, exit code {@value #TIMED_OUT}. */
    static final class KafkaUnreachableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        KafkaUnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Where this login's requests go: a SASL login's own control topic, created if missing, so the mode controller
     * records the authenticated principal (docs/security.md); without one, the shared control topic.
     */
    static String controlTopic(AppConfig config) {
        String user = config.kafka().security().username();
        if (user.isEmpty()) {
            return config.kafka().topics().control();
        }
        String control;
        try {
            control = config.kafka().topics().control(user);
        } catch (IllegalArgumentException e) {
            throw new KafkaUnreachableException(e.getMessage(), e);
        }
        try {
            TopicSetup.ensureControl(config.kafka(), control);
        } catch (IllegalStateException e) {
            throw new KafkaUnreachableException(e.getMessage(), e);
        }
        return control;
    }

    static void send(AppConfig config, String control, ModeRequest request) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(CdcPublisher.producerProperties(
                config.kafka(), "vectorsync-mode-cli"))) {
            producer.send(new ProducerRecord<>(control, request.collection(), request.toJson()))
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            throw new KafkaUnreachableException(KafkaDenied.explain(e, config.kafka().clientProperties(), "WRITE",
                    control).orElse("could not write the request to " + control + ": " + e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the request", e);
        }
    }

    static String whoAmI() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return System.getProperty("user.name", "unknown") + "@" + host;
    }
}
