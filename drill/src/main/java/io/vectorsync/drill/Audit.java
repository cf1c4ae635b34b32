package io.vectorsync.drill;

import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.mapping.DocumentIds;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.sink.api.SinkUnavailableException;
import io.vectorsync.sink.api.StoredDocument;
import io.vectorsync.streams.embedding.EmbeddingProvider;
import io.vectorsync.validation.DifferenceKind;
import io.vectorsync.validation.SourceRow;
import io.vectorsync.validation.SourceTable;
import io.vectorsync.validation.StoreComparison;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import io.vectorsync.core.config.KafkaConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * The drill's verdict: waits until every store equals the source (or the settle time runs out), then compares each
 * store with the source exactly, through the stores' {@link SinkReader}s and the validator's
 * {@link StoreComparison}: ids, text, content hash, metadata, model, vector (within {@link #VECTOR_TOLERANCE} of a
 * fresh embedding of the source text) and source LSN (the same in every store). Every dead letter must be explained
 * by an injected fault ({@link DeadLetterReasons}); a hostile row a store lacks counts as lost unless a dead letter
 * explains it.
 */
public final class Audit {
    /** Largest difference of one vector component from a fresh embedding of the same text. */
    static final double VECTOR_TOLERANCE = 1e-4;
    private static final Logger LOG = LoggerFactory.getLogger(Audit.class);
    private static final int PAGE = 500;
    private static final Duration POLL = Duration.ofSeconds(5);

    private final List<CollectionMapping> collections;
    private final Function<CollectionMapping, SourceTable> sources;
    private final String sourceJdbcUrl;
    private final Map<SinkName, SinkReader> readers;
    private final EmbeddingProvider model;
    private final DeadLetterReasons reasons;
    private final KafkaConfig kafka;
    private final String deadLetterTopic;
    private final Map<String, float[]> embeddings = new HashMap<>();

    /** What one comparison found; {@code findings} name each key that differs (at most a few per kind). */
    public record Tally(long compared, long lost, long doubled, long stale, long dlq, long unexplained,
                        List<String> findings) {
        public boolean clean() {
            return lost == 0 && doubled == 0 && stale == 0;
        }
    }

    public Audit(List<CollectionMapping> collections, Function<CollectionMapping, SourceTable> sources,
                 String sourceJdbcUrl, Map<SinkName, SinkReader> readers, EmbeddingProvider model,
                 DeadLetterReasons reasons, KafkaConfig kafka) {
        this.collections = List.copyOf(collections);
        this.sources = sources;
        this.sourceJdbcUrl = sourceJdbcUrl;
        this.readers = readers;
        this.model = model;
        this.reasons = reasons;
        this.kafka = kafka;
        this.deadLetterTopic = kafka.topics().deadLetters();
    }

    /** Compares until clean or until {@code settle} has passed; the last comparison is the verdict. */
    public Tally awaitQuiescenceAndCompare(Duration settle) {
        Tally[] last = new Tally[1];
        try {
            await().atMost(settle).pollDelay(Duration.ZERO).pollInterval(POLL).ignoreExceptionsMatching(
                    e -> e instanceof SinkUnavailableException || e.getCause() instanceof SinkUnavailableException)
                    .until(() -> {
                        last[0] = compare();
                        LOG.info("audit of {} documents: lost={} doubled={} stale={} dlq={} unexplained={}",
                                last[0].compared(), last[0].lost(),
                                last[0].doubled(), last[0].stale(), last[0].dlq(), last[0].unexplained());
                        return last[0].clean();
                    });
        } catch (ConditionTimeoutException e) {
            LOG.warn("the stores did not settle within {} s", settle.toSeconds());
        }
        if (last[0] == null) {
            throw new IllegalStateException("no store could be read within " + settle.toSeconds() + " s");
        }
        return last[0];
    }

    /** One full comparison of every collection in every store, and of the dead-letter topic. */
    public Tally compare() throws Exception {
        List<DeadLetterReasons.Verdict> verdicts = deadLetters();
        long unexplained = verdicts.stream().filter(v -> !v.explained()).count();
        List<String> findings = new ArrayList<>();
        verdicts.stream().filter(v -> !v.explained()).limit(10).forEach(v -> findings.add(v.description()));
        long lost = 0;
        long doubled = 0;
        long stale = 0;
        long compared = 0;
        for (CollectionMapping mapping : collections) {
            Map<String, SourceRow> rows = sourceRows(mapping);
            Map<String, Map<String, String>> metadata = sourceMetadata(mapping);
            Map<SinkName, Map<String, StoredDocument>> stored = new LinkedHashMap<>();
            for (SinkName store : mapping.sinks()) {
                SinkReader reader = readers.get(store);
                List<String> ids = ids(reader, mapping.name());
                Set<String> distinct = new TreeSet<>(ids);
                long extra = (ids.size() - distinct.size())
                        + Math.max(0, reader.count(mapping.name()) - distinct.size());
                if (extra > 0) {
                    doubled += extra;
                    findings.add(store + " " + mapping.name() + ": " + extra + " documents held twice");
                }
                Set<String> wanted = new HashSet<>(distinct);
                wanted.addAll(rows.keySet());
                stored.put(store, reader.findAll(mapping.name(), wanted));
            }
            Set<String> keys = new TreeSet<>(rows.keySet());
            stored.values().forEach(m -> keys.addAll(m.keySet()));
            for (String id : keys) {
                SourceRow row = rows.get(id);
                long lsn = stored.values().stream().map(m -> m.get(id)).filter(Objects::nonNull)
                        .mapToLong(StoredDocument::sourceLsn).max().orElse(-1);
                for (Map.Entry<SinkName, Map<String, StoredDocument>> s : stored.entrySet()) {
                    compared++;
                    StoredDocument doc = s.getValue().get(id);
                    String difference = difference(row, doc, metadata.get(id), lsn);
                    if (difference == null) {
                        continue;
                    }
                    var hostile = reasons.hostile(mapping.name(), id);
                    if (hostile.isPresent() && DeadLetterReasons.explains(verdicts, hostile.get())) {
                        continue;
                    }
                    if (difference.equals("missing")) {
                        lost++;
                    } else if (difference.equals("orphaned")) {
                        doubled++;
                    } else {
                        stale++;
                    }
                    if (findings.size() < 40) {
                        findings.add(s.getKey() + " " + mapping.name() + "/" + id + ": " + difference);
                    }
                }
            }
        }
        return new Tally(compared, lost, doubled, stale, verdicts.size(), unexplained, findings);
    }

    /** Null when the stored document is exactly what the source row implies (or neither exists). */
    private String difference(SourceRow row, StoredDocument doc, Map<String, String> metadata, long lsn) {
        float[] fresh = StoreComparison.needsVector(row, doc) ? embedding(row.text()) : null;
        var kind = StoreComparison.classify(row, doc, fresh, 2 * VECTOR_TOLERANCE);
        if (kind.isPresent()) {
            return kind.get() == DifferenceKind.MISSING ? "missing" : kind.get() == DifferenceKind.ORPHANED
                    ? "orphaned" : kind.get().id() + " (hash " + doc.contentHash() + " lsn " + doc.sourceLsn() + ")";
        }
        if (row == null) {
            return null;
        }
        if (!row.text().equals(doc.content())) {
            return "text differs";
        }
        Map<String, String> held = doc.metadata().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())));
        if (!held.equals(metadata)) {
            return "metadata " + held + " but the source says " + metadata;
        }
        if (!model.modelId().equals(doc.model())) {
            return "model " + doc.model() + " but the pipeline's is " + model.modelId();
        }
        if (doc.sourceLsn() != lsn) {
            return "source LSN " + doc.sourceLsn() + " but another store holds " + lsn;
        }
        if (fresh != null) {
            for (int i = 0; i < fresh.length; i++) {
                if (Math.abs(fresh[i] - doc.embedding()[i]) > VECTOR_TOLERANCE) {
                    return "vector component " + i + " is " + doc.embedding()[i] + ", a fresh embedding gives "
                            + fresh[i];
                }
            }
        }
        return null;
    }

    private float[] embedding(String text) {
        return embeddings.computeIfAbsent(text, t -> model.embed(List.of(t)).get(0));
    }

    private Map<String, SourceRow> sourceRows(CollectionMapping mapping) throws Exception {
        Map<String, SourceRow> rows = new LinkedHashMap<>();
        try (SourceTable source = sources.apply(mapping)) {
            List<String> after = null;
            while (true) {
                List<SourceRow> page = source.page(after, PAGE);
                page.forEach(r -> rows.put(r.id(), r));
                if (page.size() < PAGE) {
                    return rows;
                }
                after = page.get(page.size() - 1).key();
            }
        }
    }

    /** Each row's metadata columns as text, by document id. */
    private Map<String, Map<String, String>> sourceMetadata(CollectionMapping mapping) throws SQLException {
        Map<String, Map<String, String>> out = new HashMap<>();
        List<String> columns = new ArrayList<>(mapping.idColumns());
        columns.addAll(mapping.metadataColumns());
        String sql = "SELECT " + columns.stream().map(c -> "\"" + c + "\"::text").collect(Collectors.joining(", "))
                + " FROM " + mapping.table().quoted();
        try (Connection c = DriverManager.getConnection(sourceJdbcUrl, "postgres", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int ids = mapping.idColumns().size();
            while (rs.next()) {
                List<String> key = new ArrayList<>();
                for (int i = 1; i <= ids; i++) {
                    key.add(rs.getString(i));
                }
                Map<String, String> meta = new HashMap<>();
                for (int i = 0; i < mapping.metadataColumns().size(); i++) {
                    String v = rs.getString(ids + i + 1);
                    if (v != null) {
                        meta.put(mapping.metadataColumns().get(i), v);
                    }
                }
                out.put(DocumentIds.join(key), meta);
            }
        }
        return out;
    }

    private static List<String> ids(SinkReader reader, String collection) throws SinkUnavailableException {
        List<String> all = new ArrayList<>();
        String after = null;
        while (true) {
            List<String> page = reader.ids(collection, after, PAGE);
            all.addAll(page);
            if (page.size() < PAGE) {
                return all;
            }
            after = page.get(page.size() - 1);
        }
    }

    /** Every record of the dead-letter topic, explained or not. */
    private List<DeadLetterReasons.Verdict> deadLetters() {
        List<DeadLetterReasons.Verdict> verdicts = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(DrillKafka.consumer(kafka), new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(deadLetterTopic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(1))) {
                    verdicts.add(reasons.explain(r));
                }
            }
        }
        return verdicts;
    }
}
