package io.vectorsync.connector;

import io.vectorsync.connector.ConnectorConfig.SnapshotMode;
import io.vectorsync.core.config.ConfigProblem;
import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.core.model.TableId;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(LocalServers.class)
class SourceSchemaCheckIT {
    private static Services servers;
    private static String database;

    @BeforeAll
    static void sourceTables() throws SQLException {
        servers = LocalServers.get();
        database = servers.freshDatabase("validator_it");
        try (Connection c = servers.connect(database); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE docs (id int PRIMARY KEY, title text, body text, lang text)");
            s.execute("CREATE TABLE notes (id int PRIMARY KEY, title text)");
            s.execute("CREATE TABLE tags (id int PRIMARY KEY, label text)");
            s.execute("CREATE TABLE items (id int, name text)");
            s.execute("CREATE SCHEMA shop");
            s.execute("CREATE TABLE shop.orders (tenant text, id bigint, note text, PRIMARY KEY (tenant, id))");
        }
    }

    private static ConnectorConfig source(int port) {
        return new ConnectorConfig(servers.pgHost(), port, database, "postgres", "hunter2", "vectorsync",
                "vectorsync", "vectorsync.offsets", SnapshotMode.INITIAL, 1000, 10000, "vectorsync",
                new TableId("public", "vectorsync_signal"),
                new TableId("public", "vectorsync_heartbeat"), 1024, 1000);
    }

    private static MappingConfig mappings(Map<String, String> raw) {
        ConfigReader reader = new ConfigReader(raw);
        MappingConfig mappings = MappingConfig.from(reader);
        reader.finish();
        return mappings;
    }

    @Test
    void aMappingThatFitsTheSourceHasNoProblems() {
        MappingConfig m = mappings(Map.of(
                "collections.docs.table", "docs",
                "collections.docs.id", "id",
                "collections.docs.template", "{title}: {body}",
                "collections.docs.metadata", "lang",
                "collections.orders.table", "shop.orders",
                "collections.orders.id", "id,tenant",
                "collections.orders.template", "{note}"));

        assertThat(new SourceSchemaCheck(source(servers.pgPort())).problems(m)).isEmpty();
    }

    @Test
    void everyMismatchIsReportedInOneList() {
        MappingConfig m = mappings(Map.ofEntries(
                Map.entry("collections.ghost.table", "public.ghost"),
                Map.entry("collections.ghost.id", "id"),
                Map.entry("collections.ghost.template", "{title}"),
                Map.entry("collections.docs.table", "docs"),
                Map.entry("collections.docs.id", "doc_id"),
                Map.entry("collections.docs.template", "{title}"),
                Map.entry("collections.notes.table", "notes"),
                Map.entry("collections.notes.id", "id"),
                Map.entry("collections.notes.template", "{title}: {summary}"),
                Map.entry("collections.tags.table", "tags"),
                Map.entry("collections.tags.id", "id"),
                Map.entry("collections.tags.template", "{label}"),
                Map.entry("collections.tags.metadata", "author"),
                Map.entry("collections.items.table", "items"),
                Map.entry("collections.items.id", "id"),
                Map.entry("collections.items.template", "{name}")));

        List<ConfigProblem> problems = new SourceSchemaCheck(source(servers.pgPort())).problems(m);

        assertThat(problems).containsExactly(
                new ConfigProblem("collections.docs.id", "doc_id",
                        "table public.docs has no such column; its columns are [id, title, body, lang]"),
                new ConfigProblem("collections.ghost.table", "public.ghost",
                        "database '" + database + "' has no table public.ghost"),
                new ConfigProblem("collections.items.id", "id", "table public.items has no primary key; change"
                        + " events are keyed by it, so add one on these columns"),
                new ConfigProblem("collections.notes.template", "{title}: {summary}",
                        "it reads column 'summary' but table public.notes has no such column; its columns are"
                                + " [id, title]"),
                new ConfigProblem("collections.tags.metadata", "author",
                        "table public.tags has no such column; its columns are [id, label]"));
    }

    @Test
    void anUnreachableSourceIsOneProblemOnTheHostWithoutThePassword() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        MappingConfig m = mappings(Map.of(
                "collections.docs.table", "docs",
                "collections.docs.id", "id",
                "collections.docs.template", "{title}"));

        List<ConfigProblem> problems = new SourceSchemaCheck(source(closedPort)).problems(m);

        assertThat(problems).hasSize(1);
        ConfigProblem p = problems.get(0);
        assertThat(p.key()).isEqualTo("source.host");
        assertThat(p.value()).isEqualTo(servers.pgHost() + ":" + closedPort + "/" + database);
        assertThat(p.message()).startsWith("the source database cannot be reached: Connection to "
                + servers.pgHost() + ":" + closedPort + " refused.");
        assertThat(p.toString()).doesNotContain("hunter2");
    }
}
