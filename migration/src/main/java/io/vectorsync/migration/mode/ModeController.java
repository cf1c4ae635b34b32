package io.vectorsync.migration.mode;

import io.vectorsync.core.config.KafkaConfig;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.core.mode.CutoverGate;
import io.vectorsync.streams.StreamsApp;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.file.Path;
import java.util.Properties;
import java.util.function.LongSupplier;

/**
 * Runs {@link ModeControlTopology} as its own Kafka Streams application, apart from the enrichment topology: a
 * request is decided within a commit interval however busy the pipeline is, and the controller's one task moves
 * to another instance on its own. The control, status and backfill progress topics must exist, with one partition.
 */
public final class ModeController implements AutoCloseable {
    /** Requests are rare and someone waits for each answer: commit (and so flush the answer) quickly. */
    static final int COMMIT_INTERVAL_MS = 100;

    private final StreamsApp app;

    /**
     * @param applicationId its own Kafka Streams application id, e.g. {@code <streams application id>-modes}
     * @param stateDir      local state; rebuilt from the changelog when lost
     * @param clock         epoch milliseconds
     */
    public ModeController(KafkaConfig kafka, MappingConfig mappings, CutoverGate gate, LongSupplier clock,
                          String applicationId, Path stateDir) {
        StreamsBuilder builder = new StreamsBuilder();
        ModeControlTopology.build(builder, kafka.topics(), mappings, gate, clock);
        this.app = new StreamsApp("mode controller " + applicationId, builder.build(),
                properties(kafka, applicationId, stateDir));
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

    /** What stopped the controller, or null. */
    public Throwable failure() {
        return app.failure();
    }

    @Override
    public void close() {
        app.close();
    }

    /** How soon a new operator control topic is read. */
    static final int CONTROL_DISCOVERY_MS = 2_000;

    static Properties properties(KafkaConfig kafka, String applicationId, Path stateDir) {
        Properties p = kafka.clientPropertiesAsProperties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) kafka.replicationFactor());
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        // An operator's control topic is created by their first 'mode set'; the pattern subscription sees a new
        // topic at the next metadata refresh (5 minutes by default), and that request waits for it.
        p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.METADATA_MAX_AGE_CONFIG), CONTROL_DISCOVERY_MS);
        return p;
    }
}
