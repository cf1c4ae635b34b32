package io.vectorsync.app.dlq;

import io.vectorsync.connector.CdcPublisher;
import io.vectorsync.connector.redrive.Redriver;
import io.vectorsync.core.config.KafkaConfig;
import io.vectorsync.core.model.TableId;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Sends dead letters back through the pipeline at the stage that refused them:
 * <ul>
 *   <li>sink stage: the enriched change, as it was, back onto the store's sink topic (same key, so the same
 *   partition), for that store only. Nothing is embedded again; the store's LSN guard drops it if the document has
 *   moved on since, so a replay never overwrites newer data and a second replay changes nothing.</li>
 *   <li>connector and streams stages: the row's key is re-driven from the source ({@link Redriver}): a row the source
 *   still holds is read again by Debezium, a row it no longer holds gets a delete event. The dead letter itself is
 *   not resent: a connector dead letter kept no row, and the row may have changed since; the source's current row
 *   through the whole path is always right. Needs the connector running (it reads the signal).</li>
 * </ul>
 */
public final class DeadLetterReplayer implements AutoCloseable {
    /** Header on a replayed record: the dead letter it came from. */
    public static final String REPLAYED_FROM = "vectorsync.dlq.replayed.from";

    private final KafkaConfig kafka;
    private final Supplier<Redriver> redrivers;
    private final Duration timeout;
    private KafkaProducer<String, String> producer;
    private Redriver redriver;

    /** What one replay did. */
    public record Result(int resent, int reread, int deleted, Map<String, String> skipped) {
    }

    public DeadLetterReplayer(KafkaConfig kafka, Supplier<Redriver> redrivers, Duration timeout) {
        this.kafka = kafka;
        this.redrivers = redrivers;
        this.timeout = timeout;
    }

    /**
     * Replays the dead letters, reporting progress lines to {@code progress}.
     *
     * @return counts, and the coordinates of the dead letters that could not be replayed with the reason
     */
    public Result replay(List<Selected> letters, Consumer<String> progress) {
        Map<String, String> skipped = new LinkedHashMap<>();
        List<Selected> toResend = new ArrayList<>();
        // One re-drive per table and key columns; a key named by several dead letters is re-driven once.
        Map<TableId, Map<List<String>, Set<List<String>>>> toRedrive = new LinkedHashMap<>();
        for (Selected s : letters) {
            switch (s.origin().stage()) {
                case SINK -> {
                    if (s.letter().value() == null) {
                        skipped.put(s.letter().coordinates(), "it has no value to send");
                    } else {
                        toResend.add(s);
                    }
                }
                case CONNECTOR, STREAMS -> {
                    if (s.origin().sourceKey().isEmpty()) {
                        skipped.put(s.letter().coordinates(), "its record key names no row (key "
                                + s.letter().key() + ")");
                    } else {
                        toRedrive.computeIfAbsent(s.origin().table().orElseThrow(), t -> new LinkedHashMap<>())
                                .computeIfAbsent(s.origin().keyColumns(), c -> new LinkedHashSet<>())
                                .add(List.copyOf(s.origin().sourceKey().values()));
                    }
                }
                case UNKNOWN -> skipped.put(s.letter().coordinates(), "its source topic '"
                        + s.letter().sourceTopic() + "' is neither a CDC topic nor a sink topic of pipeline '"
                        + kafka.topics().pipeline() + "'");
            }
        }
        int resent = resend(toResend, progress);
        int reread = 0;
        int deleted = 0;
        for (var byTable : toRedrive.entrySet()) {
            for (var byColumns : byTable.getValue().entrySet()) {
                List<List<String>> keys = new ArrayList<>(byColumns.getValue());
                List<List<String>> absent = redriver().deleteAbsent(byTable.getKey(), byColumns.getKey(), keys);
                List<List<String>> present = new ArrayList<>(keys);
                present.removeAll(absent);
                redriver().reread(byTable.getKey(), byColumns.getKey(), present);
                reread += present.size();
                deleted += absent.size();
                progress.accept("re-drove " + keys.size() + " keys of " + byTable.getKey() + " from the source: "
                        + present.size() + " read again, " + absent.size() + " gone (delete events published)");
            }
        }
        return new Result(resent, reread, deleted, skipped);
    }

    private int resend(List<Selected> letters, Consumer<String> progress) {
        if (letters.isEmpty()) {
            return 0;
        }
        List<Future<RecordMetadata>> sends = new ArrayList<>(letters.size());
        for (Selected s : letters) {
            DeadLetter l = s.letter();
            ProducerRecord<String, String> record = new ProducerRecord<>(l.sourceTopic(), l.key(), l.value());
            record.headers().add(REPLAYED_FROM, l.coordinates().getBytes(StandardCharsets.UTF_8));
            sends.add(producer().send(record));
            if (sends.size() % DeadLetterLog.PROGRESS_EVERY == 0) {
                progress.accept("sent " + sends.size() + " of " + letters.size() + " changes back to their sink topics");
            }
        }
        producer().flush();
        try {
            for (Future<RecordMetadata> send : sends) {
                send.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka at " + kafka.bootstrapServers() + " did not take the replayed"
                    + " changes: " + (e.getCause() != null ? e.getCause().getMessage() : e.toString()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying", e);
        }
        return sends.size();
    }

    private KafkaProducer<String, String> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(CdcPublisher.producerProperties(kafka, "vectorsync-dlq-replay"));
        }
        return producer;
    }

    private Redriver redriver() {
        if (redriver == null) {
            redriver = redrivers.get();
        }
        return redriver;
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(timeout);
        }
        if (redriver != null) {
            redriver.close();
        }
    }

    /** A dead letter with what it is about. */
    public record Selected(DeadLetter letter, DeadLetterOrigin origin) {
    }
}
