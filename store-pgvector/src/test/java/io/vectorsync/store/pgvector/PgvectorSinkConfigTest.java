package io.vectorsync.store.pgvector;

import io.vectorsync.core.config.ConfigException;
import io.vectorsync.core.config.ConfigReader;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PgvectorSinkConfigTest {

    @Test
    void defaultsApplyWhenNothingIsSet() {
        ConfigReader reader = new ConfigReader(Map.of());
        PgvectorSinkConfig config = PgvectorSinkConfig.from(reader);
        reader.finish();

        assertThat(config).isEqualTo(new PgvectorSinkConfig("jdbc:postgresql://127.0.0.1:55432/vectors",
                "postgres", "", "public", 16, 64, 30_000));
    }

    @Test
    void everyKeyIsRead() {
        ConfigReader reader = new ConfigReader(Map.of(
                "sink.pgvector.url", "jdbc:postgresql://db:5432/v",
                "sink.pgvector.user", "writer",
                "sink.pgvector.password", "s3cret",
                "sink.pgvector.schema", "vectors",
                "sink.pgvector.hnsw.m", "24",
                "sink.pgvector.hnsw.ef.construction", "100",
                "sink.pgvector.timeout.ms", "2500",
                "sink.pgvector.text.search.config", "german"));
        PgvectorSinkConfig config = PgvectorSinkConfig.from(reader);
        reader.finish();

        assertThat(config).isEqualTo(new PgvectorSinkConfig("jdbc:postgresql://db:5432/v", "writer", "s3cret",
                "vectors", 24, 100, 2_500, null, "german"));
        assertThat(PgvectorSinkConfig.KEYS).hasSize(13);
    }

    @Test
    void toStringAndEffectiveConfigNeverRevealThePassword() {
        ConfigReader reader = new ConfigReader(Map.of("sink.pgvector.password", "s3cret",
                "sink.pgvector.url", "jdbc:postgresql://db/v?password=other"));
        PgvectorSinkConfig config = PgvectorSinkConfig.from(reader);

        assertThat(config.toString()).doesNotContain("s3cret").doesNotContain("other").contains("password=****");
        assertThat(reader.effective().toString()).doesNotContain("s3cret");
    }

    @Test
    void everyProblemIsReportedTogetherNamingTheKey() {
        ConfigReader reader = new ConfigReader(Map.of(
                "sink.pgvector.schema", "my-schema",
                "sink.pgvector.hnsw.m", "1",
                "sink.pgvector.hnsw.ef.construction", "lots",
                "sink.pgvector.text.search.config", "english'--"));
        PgvectorSinkConfig.from(reader);

        assertThatThrownBy(reader::finish).isInstanceOf(ConfigException.class)
                .hasMessageContaining("4 problems")
                .hasMessageContaining("'sink.pgvector.schema' was 'my-schema' but it must be an SQL identifier")
                .hasMessageContaining("'sink.pgvector.text.search.config' was 'english'--' but it must be an SQL"
                        + " identifier")
                .hasMessageContaining("'sink.pgvector.hnsw.m' was '1' but it must be an integer between 2 and 100")
                .hasMessageContaining("'sink.pgvector.hnsw.ef.construction' was 'lots' but it must be a whole number");
    }

    @Test
    void efConstructionBelowTwiceMIsRejected() {
        ConfigReader reader = new ConfigReader(Map.of("sink.pgvector.hnsw.m", "32",
                "sink.pgvector.hnsw.ef.construction", "40"));
        PgvectorSinkConfig.from(reader);

        assertThatThrownBy(reader::finish).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'sink.pgvector.hnsw.ef.construction' was '40' but pgvector needs it to be"
                        + " at least twice sink.pgvector.hnsw.m (32), so at least 64");
    }

    @Test
    void timeoutBelowOneSecondIsRejected() {
        ConfigReader reader = new ConfigReader(Map.of("sink.pgvector.timeout.ms", "500"));
        PgvectorSinkConfig.from(reader);

        assertThatThrownBy(reader::finish).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'sink.pgvector.timeout.ms' was '500' but it must be an integer between 1000"
                        + " and 3600000");
    }

    @Test
    void driverTimeoutsAreWholeSecondsRoundedUp() {
        assertThat(PgvectorConnection.timeoutSeconds(1_000)).isEqualTo(1);
        assertThat(PgvectorConnection.timeoutSeconds(1_001)).isEqualTo(2);
        assertThat(PgvectorConnection.timeoutSeconds(30_000)).isEqualTo(30);
    }
}
