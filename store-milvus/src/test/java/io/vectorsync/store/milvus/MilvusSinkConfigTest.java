package io.vectorsync.store.milvus;

import io.vectorsync.core.config.ConfigException;
import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.store.milvus.MilvusSinkConfig.IndexType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MilvusSinkConfigTest {

    @Test
    void defaultsApplyWhenNothingIsSet() {
        ConfigReader reader = new ConfigReader(Map.of());
        MilvusSinkConfig config = MilvusSinkConfig.from(reader);
        reader.finish();

        assertThat(config).isEqualTo(new MilvusSinkConfig("http://127.0.0.1:19530", "", "default", IndexType.HNSW,
                16, 64, 30_000));
    }

    @Test
    void everyKeyIsRead() {
        ConfigReader reader = new ConfigReader(Map.of(
                "sink.milvus.uri", "https://milvus.example:443",
                "sink.milvus.token", "root:Milvus",
                "sink.milvus.database", "vectors",
                "sink.milvus.index.type", "FLAT",
                "sink.milvus.hnsw.m", "32",
                "sink.milvus.hnsw.ef.construction", "200",
                "sink.milvus.timeout.ms", "5000"));
        MilvusSinkConfig config = MilvusSinkConfig.from(reader);
        reader.finish();

        assertThat(config).isEqualTo(new MilvusSinkConfig("https://milvus.example:443", "root:Milvus", "vectors",
                IndexType.FLAT, 32, 200, 5_000));
        assertThat(MilvusSinkConfig.KEYS).hasSize(7);
    }

    @Test
    void toStringAndEffectiveConfigNeverRevealTheToken() {
        ConfigReader reader = new ConfigReader(Map.of("sink.milvus.token", "root:s3cret",
                "sink.milvus.uri", "http://user:other@db:19530"));
        MilvusSinkConfig config = MilvusSinkConfig.from(reader);

        assertThat(config.toString()).doesNotContain("s3cret").doesNotContain("other").contains("token=****")
                .contains("uri=http://****@db:19530");
        assertThat(reader.effective().toString()).doesNotContain("s3cret");
    }

    @Test
    void everyProblemIsReportedTogetherNamingTheKey() {
        ConfigReader reader = new ConfigReader(Map.of(
                "sink.milvus.uri", "127.0.0.1:19530",
                "sink.milvus.database", "my-db",
                "sink.milvus.index.type", "hnsw",
                "sink.milvus.hnsw.m", "1",
                "sink.milvus.hnsw.ef.construction", "lots",
                "sink.milvus.timeout.ms", "10"));
        MilvusSinkConfig.from(reader);

        assertThatThrownBy(reader::finish).isInstanceOf(ConfigException.class)
                .hasMessageContaining("6 problems")
                .hasMessageContaining("'sink.milvus.uri' was '127.0.0.1:19530' but it must start with http:// or"
                        + " https://")
                .hasMessageContaining("'sink.milvus.database' was 'my-db' but it must be a Milvus name")
                .hasMessageContaining("'sink.milvus.index.type' was 'hnsw' but it must be one of [HNSW, FLAT]")
                .hasMessageContaining("'sink.milvus.hnsw.m' was '1' but it must be an integer between 2 and 2048")
                .hasMessageContaining("'sink.milvus.hnsw.ef.construction' was 'lots' but it must be a whole number")
                .hasMessageContaining("'sink.milvus.timeout.ms' was '10' but it must be an integer between 100 and"
                        + " 3600000");
    }

    @Test
    void aUriWithoutHostIsRejected() {
        ConfigReader reader = new ConfigReader(Map.of("sink.milvus.uri", "http://:19530"));
        MilvusSinkConfig.from(reader);

        assertThatThrownBy(reader::finish).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'sink.milvus.uri' was 'http://:19530' but it must name a host");
    }

    @Test
    void indexDescriptionNamesTheSettingsInUse() {
        assertThat(new MilvusSinkConfig("http://h:1", "", "default", IndexType.HNSW, 24, 100, 1000)
                .indexDescription()).isEqualTo("HNSW m=24, ef_construction=100");
        assertThat(new MilvusSinkConfig("http://h:1", "", "default", IndexType.FLAT, 24, 100, 1000)
                .indexDescription()).isEqualTo("FLAT");
    }
}
