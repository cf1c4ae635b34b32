package io.vectorsync.streams;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Properties;

/**
 * One Kafka Streams application's life: start, health, the failure that stopped it, and a close that leaves the
 * group so a restart or another instance does not wait out this member's session. Shared by the enrichment worker
 * and the mode controller.
 */
public final class StreamsApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamsApp.class);

    private final String name;
    private final KafkaStreams streams;
    private volatile Throwable failure;

    /** @param name what the logs call it, e.g. "streams worker" */
    public StreamsApp(String name, Topology topology, Properties properties) {
        this.name = name;
        this.streams = new KafkaStreams(topology, properties);
        this.streams.setUncaughtExceptionHandler(e -> {
            failure = e;
            LOG.error("{} thread failed; the {} shuts down", name, name, e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    }

    public void start() {
        streams.start();
        LOG.info("{} started", name);
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public boolean isRunning() {
        return failure == null && streams.state().isRunningOrRebalancing();
    }

    /** What stopped it, or null. */
    public Throwable failure() {
        return failure;
    }

    @Override
    public void close() {
        streams.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(Duration.ofSeconds(30)));
        LOG.info("{} stopped", name);
    }
}
