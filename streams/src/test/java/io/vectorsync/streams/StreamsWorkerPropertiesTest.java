package io.vectorsync.streams;

import io.vectorsync.core.Topics;
import io.vectorsync.core.config.KafkaConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class StreamsWorkerPropertiesTest {

    @Test
    void everythingTheWorkerWritesIsZstdCompressedAndAcknowledgedByAll() {
        Properties p = StreamsWorker.properties(new StreamsWorkerConfig("vs-streams", Path.of("/tmp/vs"), 1, 100),
                new KafkaConfig("127.0.0.1:9092", 3, (short) 1, new Topics("vs")));

        assertThat(p.get(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG))).isEqualTo("zstd");
        assertThat(p.get(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG))).isEqualTo("all");
        // Valid for the producer Kafka Streams builds from it.
        assertThat(new StreamsConfig(p).getProducerConfigs("client").get(ProducerConfig.COMPRESSION_TYPE_CONFIG))
                .isEqualTo("zstd");
    }
}
