package io.vectorsync.app.pipeline;

import io.vectorsync.core.Topics;
import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.config.KafkaConfig;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.core.kafka.KafkaDenied;
import io.vectorsync.core.model.SinkName;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Creates the topics the pipeline reads and writes before any part starts: Kafka Streams refuses to start on a
 * missing source topic, and an empty table produces no event that would create it.
 */
public final class TopicSetup {
    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

    private TopicSetup() {
    }

    /**
     * A topic and how it is laid out.
     *
     * @param retentionMs its {@code retention.ms}; ignored for a compacted topic, which keeps each key's latest
     */
    record Spec(String name, int partitions, boolean compacted, long retentionMs) {
        static Spec compacted(String name, int partitions) {
            return new Spec(name, partitions, true, -1);
        }

        /**
         * As the topic is created: records up to {@code kafka.max.record.bytes} fit, whatever the broker's default;
         * a topic that is not compacted keeps records as long as configured, not as long as the broker's default.
         */
        NewTopic newTopic(KafkaConfig kafka) {
            Map<String, String> configs = new HashMap<>();
            configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(kafka.maxRequestBytes()));
            if (compacted) {
                configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
            } else {
                configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
                configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retentionMs));
            }
            return new NewTopic(name, partitions, kafka.replicationFactor()).configs(configs);
        }
    }

    public static List<String> topics(KafkaConfig kafka, MappingConfig mappings) {
        return specs(kafka, mappings).stream().map(Spec::name).toList();
    }

    static List<Spec> specs(KafkaConfig kafka, MappingConfig mappings) {
        List<Spec> specs = new ArrayList<>();
        Set<SinkName> sinks = EnumSet.noneOf(SinkName.class);
        int partitions = kafka.partitions();
        // Only the mapped tables have a CDC topic: the connector also captures its signal and heartbeat tables, but
        // keeps their changes in process (CdcPublisher), so no topic of theirs exists or is needed.
        for (CollectionMapping c : mappings.collections()) {
            specs.add(new Spec(Topics.cdc(c.table()), partitions, false, kafka.retentionMs()));
            sinks.addAll(c.sinks());
        }
        sinks.forEach(s -> specs.add(new Spec(kafka.topics().sink(s), partitions, false, kafka.retentionMs())));
        specs.add(new Spec(kafka.topics().deadLetters(), partitions, false, kafka.dlqRetentionMs()));
        specs.add(Spec.compacted(kafka.topics().deadLetterMarks(), 1));
        specs.add(Spec.compacted(kafka.topics().retentionGaps(), 1));
        // Debezium keys every heartbeat alike, so they all land in one partition anyway.
        specs.add(new Spec(kafka.topics().heartbeat(), 1, false, kafka.retentionMs()));
        // Mode requests are decided one at a time in arrival order, so control and its companions have one
        // partition; the latest record per key is all anyone needs, so they are compacted.
        specs.add(Spec.compacted(kafka.topics().control(), 1));
        specs.add(Spec.compacted(kafka.topics().status(), 1));
        specs.add(new Spec(kafka.topics().backfillRequests(), 1, false, kafka.retentionMs()));
        specs.add(Spec.compacted(kafka.topics().backfillProgress(), 1));
        specs.add(Spec.compacted(kafka.topics().snapshotProgress(), 1));
        specs.add(Spec.compacted(kafka.topics().validation(), 1));
        return specs;
    }

    /**
     * Waits until the broker serves the new topics' metadata: creation is acknowledged by the controller, and a
     * follower that looks a topic up a moment later could otherwise still be told it does not exist.
     */
    private static void awaitServed(Admin admin, List<String> names) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("created topics " + names + " are not served by Kafka: "
                            + e.getCause().getMessage(), e.getCause());
                }
                Thread.sleep(50);
            }
        }
    }

    public static void ensure(KafkaConfig kafka, MappingConfig mappings) {
        ensure(kafka, mappings, name -> true);
    }

    /**
     * Creates those of the pipeline's topics {@code which} selects that are missing. A command that needs only some
     * topics asks for only those: a principal sees (lists) only the topics it may describe, so one with less
     * than the service's rights would take the others for missing and be refused creating them.
     */
    public static void ensure(KafkaConfig kafka, MappingConfig mappings, Predicate<String> which) {
        ensure(kafka, specs(kafka, mappings).stream().filter(t -> which.test(t.name())).toList());
    }

    /** Creates an operator's own control topic ({@code Topics.control(name)}) unless it exists. */
    public static void ensureControl(KafkaConfig kafka, String topic) {
        ensure(kafka, List.of(Spec.compacted(topic, 1)));
    }

    private static void ensure(KafkaConfig kafka, List<Spec> wanted) {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name()))
                    .map(t -> t.newTopic(kafka)).toList();
            if (missing.isEmpty()) {
                return;
            }
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                    LOG.info("created topic {}", entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(KafkaDenied.explain(e.getCause(),
                                kafka.clientProperties(), "CREATE", entry.getKey()).orElse(
                                "cannot create topic " + entry.getKey() + ": " + e.getCause().getMessage()),
                                e.getCause());
                    }
                }
            }
            awaitServed(admin, missing.stream().map(NewTopic::name).toList());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka at " + kafka.bootstrapServers() + " did not answer: " + e, e);
        }
    }
}
