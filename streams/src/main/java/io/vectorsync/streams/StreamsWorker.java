package io.vectorsync.streams;

import io.micrometer.core.instrument.MeterRegistry;
import io.vectorsync.core.config.EmbeddingConfig;
import io.vectorsync.core.config.KafkaConfig;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.core.config.TombstoneConfig;
import io.vectorsync.core.kafka.RecordSizeLimit;
import io.vectorsync.streams.embedding.EmbeddingProvider;
import io.vectorsync.streams.topology.EmbeddingHold;
import io.vectorsync.streams.topology.EnrichmentMetrics;
import io.vectorsync.streams.topology.EnrichmentTopology;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;

import java.time.Duration;
import java.util.Properties;

/**
 * Runs the enrichment topology. The status topic must exist before {@link #start()}: Kafka Streams fails a global
 * store whose topic is missing (an empty topic is fine: every migrating collection is then SOURCE_ONLY).
 */
public final class StreamsWorker implements AutoCloseable {

    private final StreamsApp app;
    private final EnrichmentMetrics metrics;
    private final EmbeddingHold hold;

    /** @param tombstones how long the document state keeps delete markers */
    public StreamsWorker(StreamsWorkerConfig config, KafkaConfig kafka, MappingConfig mappings,
                         EmbeddingConfig embedding, EmbeddingProvider embedder, TombstoneConfig tombstones,
                         MeterRegistry registry) {
        this.metrics = new EnrichmentMetrics(registry);
        StreamsBuilder builder = new StreamsBuilder();
        // Held changes are tried again at the provider's longest retry wait, but never sooner than a batch waits.
        this.hold = new EmbeddingHold(Duration.ofMillis(Math.max(embedding.batchMaxWaitMs(),
                embedding.endpoint().retryMaxBackoffMs())), registry);
        EnrichmentTopology.build(builder, kafka.topics(), mappings, embedder, embedding.batchSize(),
                Duration.ofMillis(embedding.batchMaxWaitMs()), metrics, RecordSizeLimit.of(kafka), hold,
                tombstones);
        this.app = new StreamsApp("streams worker", builder.build(), properties(config, kafka));
    }

    public void start() {
        app.start();
    }

    public KafkaStreams.State state() {
        return app.state();
    }

    public boolean isRunning() {
        return app.isRunning();
    }

    public Throwable failure() {
        return app.failure();
    }

    /** Whether changes wait for an unavailable embedding provider. */
    public EmbeddingHold embeddingHold() {
        return hold;
    }

    public EnrichmentMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        app.close();
    }

    /** The codec of everything the streams worker writes (sink topics, changelogs, dead letters). */
    static final String COMPRESSION = "zstd";

    static Properties properties(StreamsWorkerConfig config, KafkaConfig kafka) {
        Properties p = kafka.clientPropertiesAsProperties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.threads());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitIntervalMs());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) kafka.replicationFactor());
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // The mode updater of the global store skips what it cannot read; this only opts in to 5.0's default now.
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        // Sink topics and changelogs carry 384 floats as JSON text per change: zstd writes 0.40 of the bytes (lz4
        // 0.69) at no loss of producer rate on 2 cores (SinkTopicCompressionBenchIT, docs/benchmarks.md).
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), COMPRESSION);
        // A change waiting to be embedded is kept with its raw event and the event parsed: the pending store's
        // changelog records, and the requests carrying them, may be twice kafka.max.record.bytes.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), kafka.streamsMaxRequestBytes());
        p.put(StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG),
                Integer.toString(kafka.streamsMaxRequestBytes()));
        return p;
    }
}
