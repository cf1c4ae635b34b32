package io.vectorsync.app.config;

import io.vectorsync.core.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A collection mapped onto the connector's own signal or heartbeat table is refused when the config loads. */
class ConnectorTableCheckTest {

    @Test
    void collectionsOnTheSignalAndHeartbeatTablesAreRefusedTogetherWithEveryOtherProblem() {
        assertThatThrownBy(() -> AppConfigLoader.load(Map.of(
                "source.signal.table", "ops.signals",
                "collections.sig.table", "ops.signals",
                "collections.sig.id", "id",
                "collections.sig.template", "{data}",
                "collections.beat.table", "vectorsync_heartbeat",
                "collections.beat.id", "id",
                "collections.beat.template", "{ts}",
                "kafka.unknown.key", "x"), false))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(e.getMessage())
                        .contains("'collections.sig.table' was 'ops.signals' but collection 'sig' is mapped onto the"
                                + " connector's signal table ops.signals (source.signal.table)")
                        .contains("'collections.beat.table' was 'public.vectorsync_heartbeat' but collection 'beat'"
                                + " is mapped onto the connector's heartbeat table public.vectorsync_heartbeat"
                                + " (source.heartbeat.table)")
                        .contains("'kafka.unknown.key' is not a known key"));
    }

    @Test
    void aCollectionOnAnyOtherTableLoads() {
        AppConfig config = AppConfigLoader.load(Map.of(
                "collections.docs.table", "public.docs",
                "collections.docs.id", "id",
                "collections.docs.template", "{body}"), false);

        assertThat(config.mappings().collections()).hasSize(1);
    }
}
