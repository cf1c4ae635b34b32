package io.vectorsync.store.neo4j;

import io.vectorsync.core.config.ConfigException;
import io.vectorsync.core.config.ConfigReader;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Neo4jSinkConfigTest {

    @Test
    void defaultsApplyWhenNothingIsSet() {
        ConfigReader reader = new ConfigReader(Map.of());
        Neo4jSinkConfig config = Neo4jSinkConfig.from(reader);
        reader.finish();

        assertThat(config).isEqualTo(new Neo4jSinkConfig("bolt://127.0.0.1:17687", "neo4j", "", "neo4j", 30_000));
    }

    @Test
    void everyKeyIsRead() {
        ConfigReader reader = new ConfigReader(Map.of(
                "sink.neo4j.uri", "neo4j+s://graph.example.com:7687",
                "sink.neo4j.user", "writer",
                "sink.neo4j.password", "s3cret",
                "sink.neo4j.database", "vectors",
                "sink.neo4j.timeout.ms", "5000"));
        Neo4jSinkConfig config = Neo4jSinkConfig.from(reader);
        reader.finish();

        assertThat(config).isEqualTo(new Neo4jSinkConfig("neo4j+s://graph.example.com:7687", "writer", "s3cret",
                "vectors", 5_000));
        assertThat(Neo4jSinkConfig.KEYS).hasSize(5);
    }

    @Test
    void toStringAndEffectiveConfigNeverRevealThePassword() {
        ConfigReader reader = new ConfigReader(Map.of("sink.neo4j.password", "s3cret"));
        Neo4jSinkConfig config = Neo4jSinkConfig.from(reader);

        assertThat(config.toString()).doesNotContain("s3cret").contains("password=****");
        assertThat(reader.effective().toString()).doesNotContain("s3cret");
    }

    @Test
    void everyProblemIsReportedTogetherNamingTheKey() {
        ConfigReader reader = new ConfigReader(Map.of(
                "sink.neo4j.uri", "http://127.0.0.1:7474",
                "sink.neo4j.database", "my db",
                "sink.neo4j.timeout.ms", "0"));
        Neo4jSinkConfig.from(reader);

        assertThatThrownBy(reader::finish).isInstanceOf(ConfigException.class)
                .hasMessageContaining("3 problems")
                .hasMessageContaining("'sink.neo4j.uri' was 'http://127.0.0.1:7474' but its scheme must be one of"
                        + " [bolt, bolt+s, bolt+ssc, neo4j, neo4j+s, neo4j+ssc]")
                .hasMessageContaining("'sink.neo4j.database' was 'my db' but it must be a Neo4j database name")
                .hasMessageContaining("'sink.neo4j.timeout.ms' was '0' but it must be a positive whole number");
    }

    @Test
    void uriWithCredentialsIsRejectedSoTheyNeverReachALog() {
        ConfigReader reader = new ConfigReader(Map.of("sink.neo4j.uri", "bolt://neo4j:pw@127.0.0.1:7687"));
        Neo4jSinkConfig.from(reader);

        assertThatThrownBy(reader::finish).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'sink.neo4j.uri' was 'bolt://neo4j:****@127.0.0.1:7687' but it must not carry"
                        + " credentials: set sink.neo4j.user and sink.neo4j.password instead")
                .hasMessageNotContaining(":pw@");
    }

    @Test
    void uriWithoutHostIsRejected() {
        ConfigReader reader = new ConfigReader(Map.of("sink.neo4j.uri", "bolt:///db"));
        Neo4jSinkConfig.from(reader);

        assertThatThrownBy(reader::finish).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'sink.neo4j.uri' was 'bolt:///db' but it must name a host");
    }
}
