package io.vectorsync.app.demo;

import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.pipeline.TopicSetup;
import io.vectorsync.connector.ConnectorConfig;
import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.model.Identifiers;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.store.pgvector.PgvectorSchema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Removes everything a pipeline configuration leaves behind, and only what it names: its replication slot and
 * publication, its Kafka topics and consumer groups, its pgvector collections and its local streams state. The demo
 * runs it before it starts, so a second run begins as clean as the first; the bench runs it when it is done.
 *
 * <p>Slot and offsets go together: a new slot behind old offsets (or the reverse) would make the connector resume
 * from a position the slot no longer has.
 *
 * <p>The signal and heartbeat tables in the source database stay: the connector creates them when missing and
 * replaces an old signal it finds; the heartbeat table holds one row that every heartbeat rewrites, and another
 * pipeline on the same database may share it.
 */
public final class PipelineReset {
    private static final String OBJECT_IN_USE = "55006";
    private static final long SLOT_RELEASE_WAIT_MS = 30_000;

    private final AppConfig config;
    private final List<String> removed = new ArrayList<>();

    public PipelineReset(AppConfig config) {
        this.config = config;
    }

    /** Runs every step; returns what was actually there and got removed, for the caller to report. */
    public List<String> run() throws InterruptedException {
        dropReplication();
        deleteKafkaState();
        dropCollections();
        deleteStreamsState();
        return List.copyOf(removed);
    }

    /** Drops the slot (waiting for a connector that is still letting go of it) and the publication. */
    public void dropReplication() throws InterruptedException {
        ConnectorConfig source = config.source();
        try (Connection c = Jdbc.connect(source.sourceDatabase())) {
            long deadline = System.currentTimeMillis() + SLOT_RELEASE_WAIT_MS;
            while (true) {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?")) {
                    ps.setString(1, source.slotName());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            removed.add("replication slot " + source.slotName());
                        }
                    }
                    break;
                } catch (SQLException e) {
                    if (!OBJECT_IN_USE.equals(e.getSQLState())) {
                        throw e;
                    }
                    if (System.currentTimeMillis() > deadline) {
                        throw new DemoException("replication slot '" + source.slotName() + "' in "
                                + source.address() + " is still in use after " + SLOT_RELEASE_WAIT_MS / 1000
                                + " s: another vectorsync process runs this pipeline; stop it first", e);
                    }
                    // A connector that just stopped can hold the slot for a moment longer.
                    Thread.sleep(250);
                }
            }
            boolean publication;
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
                ps.setString(1, source.publicationName());
                try (ResultSet rs = ps.executeQuery()) {
                    publication = rs.next();
                }
            }
            if (publication) {
                try (Statement st = c.createStatement()) {
                    st.execute("DROP PUBLICATION IF EXISTS " + Identifiers.quote(source.publicationName()));
                }
                removed.add("publication " + source.publicationName());
            }
        } catch (SQLException e) {
            throw new DemoException("cannot drop replication slot '" + source.slotName() + "' or publication '"
                    + source.publicationName() + "' in " + source.address() + ": " + Jdbc.describe(e), e);
        }
    }

    /**
     * Deletes the pipeline's topics (CDC, sink, dead letters, connector offsets, the streams application's internal
     * topics) and its consumer groups, then waits until Kafka no longer lists the topics, so that creating them
     * again right afterwards does not race with their deletion.
     */
    public void deleteKafkaState() throws InterruptedException {
        String appId = config.streams().applicationId();
        Set<String> ours = new TreeSet<>(TopicSetup.topics(config.kafka(), config.mappings()));
        ours.add(config.source().offsetsTopic());
        List<String> groups = new ArrayList<>();
        groups.add(appId);
        sinks().forEach(s -> groups.add(config.kafka().topics().sinkGroup(s)));
        try (Admin admin = Admin.create(config.kafka().clientProperties())) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<String> doomed = existing.stream()
                    .filter(t -> ours.contains(t) || t.startsWith(appId + "-")).sorted().toList();
            for (String group : groups) {
                if (deleteGroup(admin, group)) {
                    removed.add("consumer group " + group);
                }
            }
            if (doomed.isEmpty()) {
                return;
            }
            try {
                admin.deleteTopics(doomed).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            doomed.forEach(t -> removed.add("topic " + t));
            long deadline = System.currentTimeMillis() + 30_000;
            while (admin.listTopics().names().get(30, TimeUnit.SECONDS).stream().anyMatch(doomed::contains)) {
                if (System.currentTimeMillis() > deadline) {
                    throw new DemoException("Kafka at " + config.kafka().bootstrapServers()
                            + " still lists deleted topics after 30 s: " + doomed);
                }
                Thread.sleep(200);
            }
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new DemoException("cannot delete the pipeline's Kafka topics at " + config.kafka().bootstrapServers()
                    + ": " + cause, cause);
        }
    }

    /**
     * Deletes a consumer group. Kafka Streams does not leave its group on close, so the members of a run that just
     * ended linger until their session times out; they are removed first. A pipeline that is really still running
     * was ruled out before: its connector would hold the replication slot.
     *
     * @return false when there was no such group
     */
    private static boolean deleteGroup(Admin admin, String group) throws InterruptedException, ExecutionException,
            TimeoutException {
        try {
            admin.deleteConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return false;
            }
            if (!(e.getCause() instanceof GroupNotEmptyException)) {
                throw e;
            }
        }
        admin.removeMembersFromConsumerGroup(group, new RemoveMembersFromConsumerGroupOptions()).all()
                .get(30, TimeUnit.SECONDS);
        admin.deleteConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS);
        return true;
    }

    /** Drops the pgvector tables of every collection the pipeline writes there. */
    public void dropCollections() {
        if (!sinks().contains(SinkName.PGVECTOR)) {
            return;
        }
        PgvectorSchema schema = PgvectorSchema.of(DemoStore.pgvector(config));
        JdbcUrl url = JdbcUrl.parse(DemoStore.pgvector(config).url());
        try (Connection c = Jdbc.connect(url, DemoStore.pgvector(config).user(), DemoStore.pgvector(config).password());
             Statement st = c.createStatement()) {
            for (CollectionMapping m : config.mappings().collections()) {
                if (!m.sinks().contains(SinkName.PGVECTOR)) {
                    continue;
                }
                if (exists(c, schema.schema(), m.name())) {
                    removed.add("pgvector collection " + m.name());
                }
                st.execute("DROP TABLE IF EXISTS " + schema.table(m.name()));
                st.execute("DROP TABLE IF EXISTS " + schema.tombstoneTable(m.name()));
            }
        } catch (SQLException e) {
            throw new DemoException("cannot drop the pgvector collections in " + DemoStore.pgvector(config).safeUrl() + ": "
                    + Jdbc.describe(e), e);
        }
    }

    /** Deletes the streams application's directory under the state dir; Kafka Streams rebuilds it from Kafka. */
    public void deleteStreamsState() {
        Path dir = config.streams().stateDir().resolve(config.streams().applicationId());
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
            removed.add("streams state " + dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the streams state in " + dir, e);
        }
    }

    private Set<SinkName> sinks() {
        Set<SinkName> sinks = new TreeSet<>();
        config.mappings().collections().forEach(c -> sinks.addAll(c.sinks()));
        return sinks;
    }

    private static boolean exists(Connection c, String schema, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM pg_tables WHERE schemaname = ? AND tablename = ?")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
