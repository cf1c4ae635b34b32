package io.vectorsync.core;

import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.TableId;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Kafka topic and group names, in one place. vectorsync's own topics and groups are prefixed with the pipeline
 * name (default {@code vectorsync}), so several pipelines can share one Kafka cluster.
 */
public record Topics(String pipeline) {
    private static final String CDC_PREFIX = "cdc";

    public Topics {
        Objects.requireNonNull(pipeline, "pipeline");
    }

    /** Debezium's topic prefix; change events of {@code schema.table} go to {@code cdc.schema.table}. */
    public static String cdcPrefix() {
        return CDC_PREFIX;
    }

    public static String cdc(TableId table) {
        return CDC_PREFIX + "." + table.schema() + "." + table.table();
    }

    public String sink(SinkName sink) {
        return pipeline + ".sink." + sink.id();
    }

    /**
     * Where this pipeline's connector sends Debezium's heartbeats (Debezium's {@code topic.heartbeat.name}). One
     * topic per pipeline: Debezium's default name depends only on the topic prefix, which every pipeline shares, so a
     * heartbeat there would not tell whose connector is alive. Created up front so the first heartbeat finds it.
     */
    public String heartbeat() {
        return pipeline + ".heartbeat";
    }

    /** Records that could not be processed, with headers saying why. */
    public String deadLetters() {
        return pipeline + ".dlq";
    }

    /**
     * What {@code vectorsync dlq} did to each dead letter (compacted, keyed by the dead letter's
     * {@code topic/partition/offset}): Kafka cannot delete a record from the middle of a topic, so a purge is a mark
     * that {@code dlq list} and {@code dlq replay} honour.
     */
    public String deadLetterMarks() {
        return pipeline + ".dlq.marks";
    }

    /**
     * Changes a sink never read because its topic's retention dropped them first (compacted, keyed
     * {@code <collection>/<store>}): each collection there needs a backfill into that store.
     */
    public String retentionGaps() {
        return pipeline + ".retention.gaps";
    }

    /** Storage-mode requests (compacted, one partition: requests are decided in the order they arrive). */
    public String control() {
        return pipeline + ".control";
    }

    /**
     * The control topic of one authenticated operator, {@code <pipeline>.control.<name>}: an ACL lets only that
     * principal write it, so the mode controller knows who sent each request on it (Kafka does not stamp the
     * producer's principal on a record). Compacted, one partition, as {@link #control()}.
     *
     * @throws IllegalArgumentException when the name cannot be part of a topic name
     */
    public String control(String principalName) {
        if (!principalName.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("principal name '" + principalName + "' cannot name a control topic:"
                    + " it must match [A-Za-z0-9_-]+");
        }
        return control() + "." + principalName;
    }

    /** The principal name a control topic belongs to; empty for the shared {@link #control()} or another topic. */
    public Optional<String> controlPrincipal(String topic) {
        String prefix = control() + ".";
        return topic.startsWith(prefix) && topic.length() > prefix.length()
                ? Optional.of(topic.substring(prefix.length())) : Optional.empty();
    }

    /** The shared control topic and every operator's. */
    public Pattern controlTopics() {
        return Pattern.compile(Pattern.quote(control()) + "(\\.[A-Za-z0-9_-]+)?");
    }

    /**
     * Applied storage modes (compacted): each collection's {@code ModeStatus} under its name, and the answer to
     * every request under {@link #REQUESTS_KEY}.
     */
    public String status() {
        return pipeline + ".status";
    }

    /** Key on the status topic of the answer to the latest request; no collection name can contain '@'. */
    public static final String REQUESTS_KEY = "@requests";

    /** Backfills the mode controller asks the connector for. */
    public String backfillRequests() {
        return pipeline + ".backfill.requests";
    }

    /** The connector's progress on each backfill. */
    public String backfillProgress() {
        return pipeline + ".backfill.progress";
    }

    /** The connector's progress on each table's initial snapshot (compacted, keyed by table). */
    public String snapshotProgress() {
        return pipeline + ".snapshot.progress";
    }

    /** The latest validation result per collection and store (compacted), for the cutover gate. */
    public String validation() {
        return pipeline + ".validation";
    }

    public String sinkGroup(SinkName sink) {
        return pipeline + "-sink-" + sink.id();
    }
}
