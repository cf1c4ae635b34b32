package io.vectorsync.sink.contract;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.config.KafkaConfig;
import io.vectorsync.core.config.TombstoneConfig;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode.Delivery;
import io.vectorsync.sink.api.Sink;
import io.vectorsync.sink.runner.CurrentModes;
import io.vectorsync.sink.runner.SinkMetrics;
import io.vectorsync.sink.runner.SinkWorker;
import io.vectorsync.sink.runner.SourcePosition;
import io.vectorsync.sink.runner.SinkWorkerConfig;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import static org.awaitility.Awaitility.await;

/**
 * A real {@link SinkWorker} on a pipeline of its own (own topics, own consumer group) on the test Kafka, with a
 * producer for its input and a reader for its dead letters.
 */
public final class WorkerHarness implements AutoCloseable {
    /** The epoch of the status the changes {@link #produce(List, Function)} writes were routed under. */
    public static final String ROUTED_EPOCH = "1";
    private final KafkaConfig kafka;
    private final String collection;
    private final String sinkTopic;
    private final String group;
    private final Admin admin;
    private final KafkaProducer<String, String> producer;
    private final List<SinkMetrics> metrics = new ArrayList<>();
    private final List<SinkWorker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private Duration commitTimeout = Duration.ofSeconds(30);

    public WorkerHarness(SinkName sink, String collection) throws ExecutionException, InterruptedException {
        this(sink, collection, 1);
    }

    /** With a sink topic of {@code partitions} partitions, so several workers of the group can share it. */
    public WorkerHarness(SinkName sink, String collection, int partitions) throws ExecutionException, InterruptedException {
        String bootstrap = LocalServers.get().kafkaBootstrap();
        this.kafka = kafka(bootstrap, "contract_" + Services.uniqueSuffix(), partitions);
        this.collection = collection;
        this.sinkTopic = kafka.topics().sink(sink);
        this.group = kafka.topics().sinkGroup(sink);
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        admin.createTopics(List.of(new NewTopic(sinkTopic, partitions, (short) 1),
                new NewTopic(kafka.topics().deadLetters(), 1, (short) 1))).all().get();
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                // A small produce() goes out as one batch at flush(), so the worker takes it in one poll; under
                // the broker's 1 MB message limit.
                ProducerConfig.LINGER_MS_CONFIG, "10000",
                ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(512 * 1024),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    }

    public String sinkTopic() {
        return sinkTopic;
    }

    public void produce(List<EnrichedChange> changes) throws ExecutionException, InterruptedException {
        produce(changes, change -> null);
    }

    /**
     * Produces the changes, each with the delivery header {@code delivery} gives it (none for null), routed under
     * the status of epoch {@link #ROUTED_EPOCH}.
     */
    public void produce(List<EnrichedChange> changes, Function<EnrichedChange, Delivery> delivery) {
        produce(null, changes, delivery);
    }

    /** Produces the changes into one partition of the sink topic. */
    public void produce(int partition, List<EnrichedChange> changes) {
        produce(partition, changes, change -> null);
    }

    private void produce(Integer partition, List<EnrichedChange> changes,
                         Function<EnrichedChange, Delivery> delivery) {
        for (EnrichedChange change : changes) {
            ProducerRecord<String, String> record = new ProducerRecord<>(sinkTopic, partition, change.documentKey(),
                    Json.write(change));
            Delivery d = delivery.apply(change);
            if (d != null) {
                // As routing stamps them: the delivery and the epoch of the status it was routed under.
                record.headers().add(Delivery.HEADER, d.id().getBytes(StandardCharsets.UTF_8));
                record.headers().add(ModeStatus.EPOCH_HEADER, ROUTED_EPOCH.getBytes(StandardCharsets.UTF_8));
            }
            producer.send(record);
        }
        producer.flush();
    }

    /** How long workers started from now on wait for Kafka to take their offsets ({@code sink.commit.timeout.ms}). */
    public void commitTimeout(Duration timeout) {
        this.commitTimeout = timeout;
    }

    /**
     * Starts a worker on its own thread; it owns {@code sink} from now on and closes it. Each further call starts
     * another worker of the same group.
     */
    public void start(Sink sink) {
        start(sink, CurrentModes.UNKNOWN);
    }

    /** As {@link #start(Sink)}, the worker reading the collections' modes in force from {@code modes}. */
    public void start(Sink sink, CurrentModes modes) {
        start(sink, modes, SourcePosition.NONE);
    }

    /** As {@link #start(Sink, CurrentModes)}, checking changes' LSNs against the source's WAL position. */
    public void start(Sink sink, CurrentModes modes, SourcePosition source) {
        SinkMetrics m = new SinkMetrics(sink.name(), new SimpleMeterRegistry());
        SinkWorker worker = new SinkWorker(sink, fastRetries(commitTimeout), TombstoneConfig.KEEP_FOREVER, kafka,
                List.of(Documents.mapping(collection)), m, modes, source);
        Thread thread = new Thread(worker, "contract-sink-worker-" + workers.size());
        metrics.add(m);
        workers.add(worker);
        threads.add(thread);
        thread.start();
    }

    /** The first worker's metrics. */
    public SinkMetrics metrics() {
        return metrics(0);
    }

    /** The metrics of the {@code n}th worker started, from 0. */
    public SinkMetrics metrics(int n) {
        return metrics.get(n);
    }

    public boolean isRunning() {
        return workers.stream().allMatch(SinkWorker::isRunning);
    }

    /** How many members the worker group has that hold at least one partition, once the group is stable. */
    public int membersWithPartitions() throws ExecutionException, InterruptedException {
        ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
        if (d.groupState() != GroupState.STABLE) {
            return 0;
        }
        return (int) d.members().stream().filter(m -> !m.assignment().topicPartitions().isEmpty()).count();
    }

    /** The worker group's committed offsets on the sink topic, summed over its partitions; 0 before the first commit. */
    public long committed() throws ExecutionException, InterruptedException {
        Map<?, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get();
        return offsets.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
    }

    /** The worker group's committed offset on each partition of the sink topic that has one. */
    public Map<Integer, Long> committedByPartition() throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        Map<Integer, Long> out = new TreeMap<>();
        offsets.forEach((tp, o) -> {
            if (o != null && tp.topic().equals(sinkTopic)) {
                out.put(tp.partition(), o.offset());
            }
        });
        return out;
    }

    /**
     * Drops everything one partition holds, exactly as the topic's retention does when it deletes a segment: its log
     * start offset moves to its end.
     */
    public void expire(int partition) throws ExecutionException, InterruptedException, TimeoutException {
        TopicPartition tp = new TopicPartition(sinkTopic, partition);
        long end = admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get(30, TimeUnit.SECONDS).get(tp)
                .offset();
        admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(end))).all().get(30, TimeUnit.SECONDS);
    }

    /** Stops every worker started so far and waits for them to leave; {@link #start(Sink)} starts new ones. */
    public void stopWorkers() throws InterruptedException {
        workers.forEach(SinkWorker::close);
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
            if (thread.isAlive()) {
                throw new IllegalStateException(thread.getName() + " did not stop within 30 s");
            }
        }
    }

    /** Waits for exactly {@code expected} dead letters and returns them. */
    public List<ConsumerRecord<String, String>> deadLetters(int expected) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalServers.get().kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + Services.uniqueSuffix(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            consumer.subscribe(List.of(kafka.topics().deadLetters()));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                return out.size() >= expected;
            });
            // Anything beyond the expected count would be a bug: give it one more poll to show up.
            consumer.poll(Duration.ofMillis(500)).forEach(out::add);
        }
        return out;
    }

    public static String header(ConsumerRecord<String, String> record, String key) {
        Header h = record.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        workers.forEach(SinkWorker::close);
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        producer.close();
        admin.close();
    }

    private static KafkaConfig kafka(String bootstrap, String pipeline, int partitions) {
        ConfigReader reader = new ConfigReader(Map.of(
                "kafka.bootstrap.servers", bootstrap,
                "kafka.topic.partitions", Integer.toString(partitions),
                "pipeline.name", pipeline));
        KafkaConfig config = KafkaConfig.from(reader);
        reader.finish();
        return config;
    }

    private static SinkWorkerConfig fastRetries(Duration commitTimeout) {
        ConfigReader reader = new ConfigReader(Map.of(
                "sink.commit.timeout.ms", Long.toString(commitTimeout.toMillis()),
                "sink.batch.size", "100",
                "sink.retry.backoff.initial.ms", "100",
                "sink.retry.backoff.max.ms", "1000",
                "sink.retry.max.attempts", "3"));
        SinkWorkerConfig config = SinkWorkerConfig.from(reader);
        reader.finish();
        return config;
    }
}
