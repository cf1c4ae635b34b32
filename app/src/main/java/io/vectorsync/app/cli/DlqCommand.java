package io.vectorsync.app.cli;

import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.dlq.DeadLetter;
import io.vectorsync.app.dlq.DeadLetterFilter;
import io.vectorsync.app.dlq.DeadLetterLog;
import io.vectorsync.app.dlq.DeadLetterOrigin;
import io.vectorsync.app.dlq.DeadLetterReplayer;
import io.vectorsync.app.dlq.Mark;
import io.vectorsync.app.pipeline.TopicSetup;
import io.vectorsync.connector.redrive.Redriver;
import io.vectorsync.core.config.ConfigException;
import io.vectorsync.core.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * {@code vectorsync dlq list|replay|purge}: the dead-letter topic read, replayed through the pipeline, and purged by
 * marks on the marks topic. Answers go to stdout, progress and errors to stderr.
 */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = "List, replay or purge dead letters (records the pipeline could not process).",
        subcommands = {DlqCommand.ListLetters.class, DlqCommand.Replay.class, DlqCommand.Purge.class})
public class DlqCommand {
    static final int DONE = 0;
    static final int PARTLY = 1;
    static final int BAD_INPUT = 2;
    static final int UNREACHABLE = 3;
    private static final Pattern COORDINATES = Pattern.compile("[^/]+/\\d+/\\d+");

    /** The filters every subcommand takes. */
    static class Selection {
        @Option(names = "--collection", paramLabel = "NAME", description = "Only dead letters of this collection.")
        String collection;

        @Option(names = "--reason", paramLabel = "TEXT",
                description = "Only dead letters whose reason or error class contains TEXT (ignoring case).")
        String reason;

        @Option(names = "--offset", paramLabel = "TOPIC/PARTITION/OFFSET",
                description = "Only this dead letter, as `dlq list` shows it; repeatable.")
        List<String> offsets = new ArrayList<>();

        @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS",
                description = "How long to wait for Kafka (default ${DEFAULT-VALUE}).")
        long timeoutSeconds;

        DeadLetterFilter filter() {
            for (String o : offsets) {
                if (!COORDINATES.matcher(o).matches()) {
                    throw new IllegalArgumentException("--offset was '" + o + "' but it must be"
                            + " TOPIC/PARTITION/OFFSET, like vectorsync.dlq/0/42");
                }
            }
            return new DeadLetterFilter(collection, reason, Set.copyOf(offsets));
        }
    }

    /** A selected dead letter, what it is about and what was done to it. */
    record Row(DeadLetter letter, DeadLetterOrigin origin, Mark mark) {
        DeadLetterReplayer.Selected selected() {
            return new DeadLetterReplayer.Selected(letter, origin);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Print each dead letter: topic/partition/offset, time, stage, collection, key, state and"
                    + " reason. Purged ones are left out unless --purged.")
    public static class ListLetters implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Mixin
        Selection selection;

        @Option(names = "--json", description = "Print the dead letters as a JSON array.")
        boolean json;

        @Option(names = "--limit", defaultValue = "100", paramLabel = "N",
                description = "Print at most N (default ${DEFAULT-VALUE}); the count of all is printed too.")
        int limit;

        @Option(names = "--purged", description = "Show purged dead letters too.")
        boolean purged;

        @Override
        public Integer call() {
            return run(options, selection, config -> {
                List<Row> rows = select(config, selection, purged);
                List<Row> shown = rows.subList(0, Math.min(rows.size(), Math.max(0, limit)));
                if (json) {
                    System.out.println(Json.write(shown.stream().map(DlqCommand::asMap).toList()));
                } else {
                    print(shown, System.out);
                    System.out.println(rows.size() > shown.size()
                            ? shown.size() + " of " + rows.size() + " dead letters shown (--limit " + limit + ")"
                            : rows.size() + " dead letters");
                }
                return DONE;
            });
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Send the selected dead letters back through the pipeline at the stage that refused them:"
                    + " a sink's change back onto its sink topic; a connector or streams dead letter by re-driving"
                    + " the row's key from the source (the connector must be running). Idempotent: the stores' LSN"
                    + " guards apply a change once. Exit code 0 all replayed, 1 some could not be, 2 bad input,"
                    + " 3 Kafka or the source unreachable.")
    public static class Replay implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Mixin
        Selection selection;

        @Option(names = "--all", description = "Replay every dead letter (needed when no filter is given).")
        boolean all;

        @Override
        public Integer call() {
            return run(options, selection, config -> {
                if (unselected(selection, all, "replay")) {
                    return BAD_INPUT;
                }
                List<Row> rows = select(config, selection, false);
                if (rows.isEmpty()) {
                    System.out.println("no dead letter matches; nothing replayed");
                    return DONE;
                }
                long before = rows.stream().filter(r -> r.mark() != null).count();
                Duration timeout = Duration.ofSeconds(selection.timeoutSeconds);
                DeadLetterReplayer.Result result;
                try (DeadLetterReplayer replayer = new DeadLetterReplayer(config.kafka(),
                        () -> new Redriver(config.source(), config.kafka()), timeout)) {
                    result = replayer.replay(rows.stream().map(Row::selected).toList(), System.err::println);
                }
                List<Row> replayed = rows.stream()
                        .filter(r -> !result.skipped().containsKey(r.letter().coordinates())).toList();
                Map<String, Mark> marks = mark(config, selection, replayed, (r, now, by) -> new Mark(Mark.REPLAYED,
                        now, by, r.origin().stage() == io.vectorsync.app.dlq.Stage.SINK ? "resent to "
                        + r.letter().sourceTopic() : "re-driven from the source"));
                System.out.println("replayed " + marks.size() + " of " + rows.size() + " dead letters: "
                        + result.resent() + " changes sent back to their sink topics, " + result.reread()
                        + " rows read again from the source, " + result.deleted() + " deletes for rows the source"
                        + " no longer holds" + (before > 0 ? "; " + before + " had been replayed before (the stores'"
                        + " LSN guards apply each change once)" : ""));
                result.skipped().forEach((c, why) -> System.out.println("  not replayed " + c + ": " + why));
                return result.skipped().isEmpty() ? DONE : PARTLY;
            });
        }
    }

    @Command(name = "purge", mixinStandardHelpOptions = true,
            description = "Drop the selected dead letters from `dlq list` and `dlq replay`: Kafka cannot delete a"
                    + " record from the middle of a topic, so each gets a 'purged' mark on the compacted marks topic"
                    + " (<pipeline>.dlq.marks); the records themselves go with the topic's retention. Idempotent.")
    public static class Purge implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Mixin
        Selection selection;

        @Option(names = "--all", description = "Purge every dead letter (needed when no filter is given).")
        boolean all;

        @Override
        public Integer call() {
            return run(options, selection, config -> {
                if (unselected(selection, all, "purge")) {
                    return BAD_INPUT;
                }
                List<Row> rows = select(config, selection, true);
                List<Row> live = rows.stream().filter(r -> r.mark() == null || !r.mark().purged()).toList();
                mark(config, selection, live, (r, now, by) -> new Mark(Mark.PURGED, now, by, null));
                System.out.println("purged " + live.size() + " dead letters" + (rows.size() > live.size()
                        ? " (" + (rows.size() - live.size()) + " more matched, already purged)" : ""));
                return DONE;
            });
        }
    }

    interface Action {
        int run(AppConfig config);
    }

    /** The mark one dead letter gets, made at {@code now} by {@code by}. */
    interface Marking {
        Mark of(Row row, long now, String by);
    }

    /** Replay and purge act on a filter or on --all, never on everything by accident. */
    private static boolean unselected(Selection selection, boolean all, String verb) {
        if (all || !selection.filter().isEmpty()) {
            return false;
        }
        System.err.println("say which dead letters to " + verb + " (--collection, --reason, --offset) or --all");
        return true;
    }

    /** Writes a mark for each row on the compacted marks topic; returns them by coordinates. */
    private static Map<String, Mark> mark(AppConfig config, Selection selection, List<Row> rows, Marking marking) {
        TopicSetup.ensure(config.kafka(), config.mappings());
        Map<String, Mark> marks = new LinkedHashMap<>();
        String by = whoAmI();
        long now = System.currentTimeMillis();
        rows.forEach(r -> marks.put(r.letter().coordinates(), marking.of(r, now, by)));
        new DeadLetterLog(config.kafka(), Duration.ofSeconds(selection.timeoutSeconds)).mark(marks);
        return marks;
    }

    private static int run(ConfigOptions options, Selection selection, Action action) {
        AppConfig config;
        try {
            selection.filter();
            config = options.load(false);
        } catch (ConfigException | IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return BAD_INPUT;
        }
        try {
            return action.run(config);
        } catch (IllegalStateException | io.vectorsync.connector.redrive.RedriveException e) {
            System.err.println(e.getMessage());
            return UNREACHABLE;
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return BAD_INPUT;
        }
    }

    /** The dead letters the selection picks, in topic order, with their marks; purged ones only if asked. */
    static List<Row> select(AppConfig config, Selection selection, boolean withPurged) {
        DeadLetterFilter filter = selection.filter();
        DeadLetterLog log = new DeadLetterLog(config.kafka(), Duration.ofSeconds(selection.timeoutSeconds));
        Map<String, Mark> marks = log.marks();
        List<Row> rows = new ArrayList<>();
        long read = log.forEach(letter -> {
            Mark mark = marks.get(letter.coordinates());
            if (!withPurged && mark != null && mark.purged()) {
                return;
            }
            DeadLetterOrigin origin = DeadLetterOrigin.of(letter, config.kafka().topics(), config.mappings());
            if (filter.matches(letter, origin)) {
                rows.add(new Row(letter, origin, mark));
            }
        }, n -> System.err.println("read " + n + " dead letters ..."));
        if (read >= DeadLetterLog.PROGRESS_EVERY) {
            System.err.println("read " + read + " dead letters, " + rows.size() + " selected");
        }
        return rows;
    }

    static void print(List<Row> rows, PrintStream out) {
        if (rows.isEmpty()) {
            return;
        }
        String format = "%-28s %-24s %-16s %-20s %-16s %-9s %s%n";
        out.printf(format, "TOPIC/PARTITION/OFFSET", "TIME", "STAGE", "COLLECTION", "KEY", "STATE", "REASON");
        for (Row r : rows) {
            out.printf(format, r.letter().coordinates(), Instant.ofEpochMilli(r.letter().timestampMs()),
                    r.origin().stageLabel(), r.origin().collections().isEmpty() ? "-"
                            : String.join(",", r.origin().collections()), r.origin().document(),
                    r.mark() == null ? "new" : r.mark().state(), oneLine(r.letter().reason()));
        }
    }

    static Map<String, Object> asMap(Row r) {
        Map<String, Object> m = new LinkedHashMap<>();
        DeadLetter l = r.letter();
        m.put("topic", l.topic());
        m.put("partition", l.partition());
        m.put("offset", l.offset());
        m.put("coordinates", l.coordinates());
        m.put("time", Instant.ofEpochMilli(l.timestampMs()).toString());
        m.put("stage", r.origin().stageLabel());
        m.put("collections", r.origin().collections());
        m.put("table", r.origin().table().map(Object::toString).orElse(null));
        m.put("key", r.origin().document());
        m.put("state", r.mark() == null ? "new" : r.mark().state());
        m.put("errorClass", l.errorClass());
        m.put("reason", l.reason());
        m.put("sourceTopic", l.sourceTopic());
        m.put("sourcePartition", l.sourcePartition());
        m.put("sourceOffset", l.sourceOffset());
        return m;
    }

    private static String oneLine(String text) {
        return text == null ? "-" : text.replaceAll("\\s+", " ");
    }

    private static String whoAmI() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return System.getProperty("user.name", "unknown") + "@" + host;
    }
}
