package io.vectorsync.app.config;

import io.vectorsync.connector.ConnectorConfig;
import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.config.ConfigProblem;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.core.model.TableId;

import java.util.ArrayList;
import java.util.List;

/**
 * A collection must not be mapped onto a table the connector itself writes: the signal table holds Debezium's
 * snapshot signals and watermarks, the heartbeat table one row rewritten on every heartbeat. Documents made from
 * them would be noise, and their changes are either not published (heartbeat) or consumed by Debezium (signal).
 */
final class ConnectorTableCheck {
    private ConnectorTableCheck() {
    }

    static List<ConfigProblem> problems(ConnectorConfig source, MappingConfig mappings) {
        List<ConfigProblem> problems = new ArrayList<>();
        for (CollectionMapping c : mappings.collections()) {
            check(problems, c, source.signalTable(), ConnectorConfig.SIGNAL_TABLE.name(), "signal");
            check(problems, c, source.heartbeatTable(), ConnectorConfig.HEARTBEAT_TABLE.name(), "heartbeat");
        }
        return problems;
    }

    private static void check(List<ConfigProblem> problems, CollectionMapping c, TableId own, String key,
                              String what) {
        if (own != null && own.equals(c.table())) {
            problems.add(new ConfigProblem(MappingConfig.TABLE.forName(c.name()).name(), c.table().toString(),
                    "collection '" + c.name() + "' is mapped onto the connector's " + what + " table " + own + " ("
                            + key + "); map a table of your own, or give " + key + " another table"));
        }
    }
}
