package io.vectorsync.streams;

import io.vectorsync.core.config.ConfigKey;
import io.vectorsync.core.config.ConfigReader;

import java.nio.file.Path;
import java.util.List;

/** The Kafka Streams application that enriches changes. */
public record StreamsWorkerConfig(String applicationId, Path stateDir, int threads, long commitIntervalMs) {

    public static final ConfigKey<String> APPLICATION_ID = ConfigKey.string("streams.application.id",
            "vectorsync-streams", "Kafka Streams application id: consumer group and prefix of internal topics.");
    public static final ConfigKey<String> STATE_DIR = ConfigKey.string("streams.state.dir",
            Path.of(System.getProperty("java.io.tmpdir"), "vectorsync-streams").toString(),
            "Local state (content-hash cache, pending batch); rebuilt from Kafka when lost.");
    public static final ConfigKey<Integer> THREADS = ConfigKey.intInRange("streams.threads", 1, 1, 64,
            "Stream threads in this process.");
    public static final ConfigKey<Long> COMMIT_INTERVAL_MS = ConfigKey.positiveLong("streams.commit.interval.ms",
            1000, "How often progress is committed.");
    public static final List<ConfigKey<?>> KEYS = List.of(APPLICATION_ID, STATE_DIR, THREADS, COMMIT_INTERVAL_MS);

    public static StreamsWorkerConfig from(ConfigReader reader) {
        return new StreamsWorkerConfig(reader.get(APPLICATION_ID), Path.of(reader.get(STATE_DIR)),
                reader.get(THREADS), reader.get(COMMIT_INTERVAL_MS));
    }
}
