package io.vectorsync.drill;

import io.vectorsync.core.DeadLetterHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Why a dead letter may exist: each fault that should end in the dead-letter topic registers what it expects, and
 * the audit asks, for every dead letter, which expectation explains it. A poison record is explained by its own
 * topic, partition and offset in the dead letter's origin headers; a hostile row by its marker (in the record's key
 * or value) together with a reason that names the fault ("milvus cannot store", a size).
 */
public final class DeadLetterReasons {
    private final Set<String> poison = ConcurrentHashMap.newKeySet();
    private final List<Hostile> hostile = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A hostile row: its marker (written into its title) and words one of which its dead letters' reason holds. */
    public record Hostile(String marker, int id, FaultKind kind, List<String> reasonWords) {
    }

    /** An explained or unexplained dead letter, for the report. */
    public record Verdict(boolean explained, String description) {
    }

    public void expectPoison(String topic, int partition, long offset) {
        poison.add(origin(topic, Integer.toString(partition), Long.toString(offset)));
    }

    public void expectHostile(Hostile row) {
        hostile.add(row);
    }

    public List<Hostile> hostileRows() {
        return List.copyOf(hostile);
    }

    /** The hostile row with this collection and document id, if the drill wrote one. */
    public Optional<Hostile> hostile(String collection, String id) {
        if (!collection.startsWith("articles")) {
            return Optional.empty();
        }
        return hostile.stream().filter(h -> Integer.toString(h.id()).equals(id)).findFirst();
    }

    public Verdict explain(ConsumerRecord<String, String> deadLetter) {
        String topic = header(deadLetter, DeadLetterHeaders.SOURCE_TOPIC);
        String reason = header(deadLetter, DeadLetterHeaders.ERROR_CLASS) + ": "
                + header(deadLetter, DeadLetterHeaders.ERROR_MESSAGE);
        String where = topic + "/" + header(deadLetter, DeadLetterHeaders.SOURCE_PARTITION) + "@"
                + header(deadLetter, DeadLetterHeaders.SOURCE_OFFSET);
        String shortReason = reason.length() > 300 ? reason.substring(0, 300) + "..." : reason;
        if (poison.contains(origin(topic, header(deadLetter, DeadLetterHeaders.SOURCE_PARTITION),
                header(deadLetter, DeadLetterHeaders.SOURCE_OFFSET)))) {
            return new Verdict(true, "poison record " + where + ": " + shortReason);
        }
        String key = deadLetter.key() == null ? "" : deadLetter.key();
        String value = deadLetter.value() == null ? "" : deadLetter.value();
        for (Hostile h : hostile) {
            boolean names = value.contains(h.marker()) || key.matches(".*\\b" + h.id() + "\\b.*");
            String lower = reason.toLowerCase(Locale.ROOT);
            if (names && h.reasonWords().stream().anyMatch(lower::contains)) {
                return new Verdict(true, h.kind().id() + " row " + h.id() + " from " + where + ": " + shortReason);
            }
        }
        return new Verdict(false, "unexplained dead letter from " + where + " key " + abbreviate(key) + ": "
                + shortReason);
    }

    /** Whether some dead letter in {@code verdicts} explains the hostile row (a store may lack or differ on it). */
    public static boolean explains(List<Verdict> verdicts, Hostile row) {
        List<Verdict> about = new ArrayList<>();
        for (Verdict v : verdicts) {
            if (v.explained() && v.description().startsWith(row.kind().id() + " row " + row.id() + " ")) {
                about.add(v);
            }
        }
        return !about.isEmpty();
    }

    private static String origin(String topic, String partition, String offset) {
        return topic + "/" + partition + "@" + offset;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? "?" : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
