package io.vectorsync.connector;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.connector.BackfillHarness.Event;
import io.vectorsync.core.Topics;
import io.vectorsync.core.mode.Backfill.State;
import io.vectorsync.core.mode.BackfillProgress;
import io.vectorsync.core.mode.BackfillRequest;
import io.vectorsync.core.model.TableId;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static io.vectorsync.connector.BackfillHarness.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

@ExtendWith(LocalServers.class)
class BackfillIT {
    private static final int ROWS = 3000;

    private BackfillHarness h;

    @BeforeEach
    void world() throws SQLException {
        Services servers = LocalServers.get();
        // A database per test: every connector on a database reads every signal of its signal table.
        h = new BackfillHarness(servers, servers.freshDatabase("backfill_it"), 200);
    }

    @AfterEach
    void stop() throws SQLException {
        h.close();
    }

    @Test
    void replaysEveryRowAsAnIncrementalSnapshotReportsProgressToCompletionAndNeverRunsItTwice() throws Exception {
        h.createTableAndTopics(ROWS);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        h.startConnector(registry);
        List<Event> events = new ArrayList<>();
        List<BackfillProgress> progress = new ArrayList<>();
        try (KafkaConsumer<String, String> cdc = h.consumer(Topics.cdc(h.table));
             KafkaConsumer<String, String> progressTopic = h.consumer(h.kafka.topics().backfillProgress())) {
            await().atMost(WAIT).until(() -> {
                BackfillHarness.pollEvents(cdc, events);
                return events.size() >= ROWS;
            });
            assertThat(events).allMatch(e -> e.op().equals("r") && !e.incremental());

            // The same request twice, as after a crash between writing the signal and committing the request.
            BackfillRequest request = h.request("docs-2", "docs", h.table);
            h.send(request, request);
            await().atMost(WAIT).until(() -> {
                BackfillHarness.pollEvents(cdc, events);
                BackfillHarness.pollProgress(progressTopic, progress);
                return !progress.isEmpty() && progress.get(progress.size() - 1).state() != State.RUNNING;
            });

            assertThat(progress).allMatch(p -> p.backfillId().equals("docs-2") && p.collection().equals("docs")
                    && p.rowsTotal() == ROWS);
            assertThat(progress.get(0)).extracting(BackfillProgress::state, BackfillProgress::rowsDone)
                    .containsExactly(State.RUNNING, 0L);
            BackfillProgress last = progress.get(progress.size() - 1);
            assertThat(last.state()).isEqualTo(State.COMPLETED);
            assertThat(last.rowsDone()).isEqualTo(ROWS);
            assertThat(progress.subList(0, progress.size() - 1)).extracting(BackfillProgress::state)
                    .containsOnly(State.RUNNING);
            assertThat(progress).extracting(BackfillProgress::rowsDone).isSorted();
            // At most one RUNNING per progress interval (1 s here), however many rows came in between.
            for (int i = 1; i < progress.size() - 1; i++) {
                assertThat(progress.get(i).atMs() - progress.get(i - 1).atMs()).isGreaterThanOrEqualTo(1000);
            }

            // Every replayed row was in Kafka before COMPLETED was published; the test's reader may lag behind.
            await().atMost(WAIT).until(() -> {
                BackfillHarness.pollEvents(cdc, events);
                return events.stream().filter(Event::incremental).count() >= ROWS;
            });
            assertThat(registry.get("vectorsync.backfill.rows").tag("collection", "docs").counter().count())
                    .isEqualTo(ROWS);
            assertThat(registry.get("vectorsync.backfill.running").gauge().value()).isZero();
            assertThat(h.signals()).containsExactly("docs-2");
            // Debezium put the signal table into the publication although it is not in table.include.list; the
            // heartbeat table is in that list.
            assertThat(h.publishedTables()).containsExactlyInAnyOrder(h.table.toString(), "public.vectorsync_signal",
                    h.config.heartbeatTable().toString());
            // The signal table's own changes (the signal, Debezium's watermarks) never reach Kafka.
            assertThat(topicExists(Topics.cdc(new TableId("public", "vectorsync_signal")))).isFalse();

            h.stopConnectors();
            h.startConnector(new SimpleMeterRegistry());
            // A request for a table the connector does not capture, behind the first on the same partition: once it
            // is answered, the restarted runner has been past the completed request.
            h.send(h.request("ghost-1", "ghost", new TableId("public", "ghost")));
            await().atMost(WAIT).until(() -> {
                BackfillHarness.pollProgress(progressTopic, progress);
                return progress.stream().anyMatch(p -> p.backfillId().equals("ghost-1"));
            });
            h.sql("INSERT INTO " + h.table.quoted() + " VALUES (" + (ROWS + 1) + ", 'after restart')");
            int before = events.size();
            await().atMost(WAIT).until(() -> {
                BackfillHarness.pollEvents(cdc, events);
                return events.stream().skip(before).anyMatch(e -> e.id() == ROWS + 1);
            });

            assertThat(progress.subList(progress.indexOf(last) + 1, progress.size()))
                    .extracting(BackfillProgress::backfillId, BackfillProgress::state)
                    .containsExactly(tuple("ghost-1", State.ABORTED));
            assertThat(events.subList(before, events.size())).noneMatch(Event::incremental);
            assertThat(h.signals()).containsExactly("docs-2");
            // Once, although requested twice and the connector restarted.
            List<Event> replayed = events.stream().filter(Event::incremental).toList();
            assertThat(replayed).hasSize(ROWS).allMatch(e -> e.op().equals("r"));
            assertThat(replayed.stream().map(Event::id).collect(Collectors.toSet())).hasSize(ROWS);
            assertThat(replayed).allMatch(e -> e.after().get("title").asText().equals("row " + e.id()));
        }
    }

    @Test
    void changesMadeWhileTheBackfillRunsWinAndDeletedRowsStayDeleted() throws Exception {
        h.createTableAndTopics(ROWS);
        // As a connector from before backfills and heartbeat tables left it: the publication without either table.
        h.sql("CREATE PUBLICATION " + h.config.publicationName() + " FOR TABLE " + h.table.quoted());
        h.startConnector(new SimpleMeterRegistry());
        assertThat(h.publishedTables()).containsExactlyInAnyOrder(h.table.toString(), "public.vectorsync_signal",
                h.config.heartbeatTable().toString());
        List<Event> events = new ArrayList<>();
        List<BackfillProgress> progress = new ArrayList<>();
        AtomicInteger replayed = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        try (KafkaConsumer<String, String> cdc = h.consumer(Topics.cdc(h.table));
             KafkaConsumer<String, String> progressTopic = h.consumer(h.kafka.topics().backfillProgress())) {
            await().atMost(WAIT).until(() -> {
                BackfillHarness.pollEvents(cdc, events);
                return events.size() >= ROWS;
            });

            h.send(h.request("docs-2", "docs", h.table));
            // Once RUNNING is out, the rows were counted and the writer may start.
            await().atMost(WAIT).until(() -> {
                BackfillHarness.pollProgress(progressTopic, progress);
                return !progress.isEmpty();
            });
            CompletableFuture<Integer> writer = CompletableFuture.supplyAsync(() -> write(replayed, done));
            await().atMost(WAIT).until(() -> {
                BackfillHarness.pollEvents(cdc, events);
                BackfillHarness.pollProgress(progressTopic, progress);
                replayed.set((int) events.stream().filter(Event::incremental).count());
                return !progress.isEmpty() && progress.get(progress.size() - 1).state() != State.RUNNING;
            });
            done.set(true);
            int writes = writer.get();
            // A last row after the writer stopped: once it arrives, every change before it has.
            h.sql("INSERT INTO " + h.table.quoted() + " VALUES (999999, 'last')");
            await().atMost(WAIT).until(() -> {
                BackfillHarness.pollEvents(cdc, events);
                return events.get(events.size() - 1).id() == 999999;
            });

            BackfillProgress last = progress.get(progress.size() - 1);
            assertThat(last.state()).isEqualTo(State.COMPLETED);
            assertThat(last.rowsTotal()).isEqualTo(ROWS);
            List<Event> snapshot = events.stream().filter(Event::incremental).toList();
            // Rows deleted before their chunk was read, or changed while it was open, are not replayed.
            assertThat(last.rowsDone()).isEqualTo(snapshot.size()).isLessThanOrEqualTo(ROWS);

            Map<Integer, String> table = h.rows();
            assertThat(lastStatePerKey(events)).isEqualTo(table);
            // Every row the writer left alone came again through the snapshot.
            Set<Integer> touched = events.stream().skip(ROWS).filter(e -> !e.incremental()).map(Event::id)
                    .collect(Collectors.toSet());
            Set<Integer> replayedIds = snapshot.stream().map(Event::id).collect(Collectors.toSet());
            assertThat(replayedIds).containsAll(table.keySet().stream().filter(id -> id <= ROWS
                    && !touched.contains(id)).toList());
            // The writer really ran while the snapshot did: updates and deletes sit between its first and last row.
            long firstReplay = snapshot.get(0).offset();
            long lastReplay = snapshot.get(snapshot.size() - 1).offset();
            List<Event> during = events.stream().filter(e -> !e.incremental() && e.offset() > firstReplay
                    && e.offset() < lastReplay).toList();
            assertThat(during).extracting(Event::op).contains("u", "d");
            assertThat(writes).isPositive();
        }
    }

    @Test
    void aBackfillInterruptedByARestartIsFollowedToItsEndWithoutStartingOver() throws Exception {
        h.createTableAndTopics(ROWS);
        // A signal with the same id from an earlier life of the pipeline, whose progress history is gone: it must
        // not keep this backfill from being requested.
        h.sql("CREATE TABLE public.vectorsync_signal (id varchar(42) PRIMARY KEY, type varchar(32) NOT NULL,"
                + " data varchar(2048))", "INSERT INTO public.vectorsync_signal VALUES ('docs-2', 'execute-snapshot',"
                + " '{\"data-collections\": [\"public.gone\"], \"type\": \"incremental\"}')");
        h.startConnector(new SimpleMeterRegistry());
        List<Event> events = new ArrayList<>();
        List<BackfillProgress> progress = new ArrayList<>();
        try (KafkaConsumer<String, String> cdc = h.consumer(Topics.cdc(h.table));
             KafkaConsumer<String, String> progressTopic = h.consumer(h.kafka.topics().backfillProgress())) {
            h.send(h.request("docs-2", "docs", h.table));
            await().atMost(WAIT).until(() -> {
                BackfillHarness.pollProgress(progressTopic, progress);
                return progress.stream().anyMatch(p -> p.rowsDone() > 0);
            });
            h.stopConnectors();
            BackfillHarness.readToEnd(progressTopic, progress);
            assertThat(progress).extracting(BackfillProgress::state).containsOnly(State.RUNNING);
            int beforeRestart = progress.size();

            h.startConnector(new SimpleMeterRegistry());
            await().atMost(WAIT).until(() -> {
                BackfillHarness.pollProgress(progressTopic, progress);
                return progress.get(progress.size() - 1).state() != State.RUNNING;
            });
            h.sql("INSERT INTO " + h.table.quoted() + " VALUES (999999, 'last')");
            await().atMost(WAIT).until(() -> {
                BackfillHarness.pollEvents(cdc, events);
                return !events.isEmpty() && events.get(events.size() - 1).id() == 999999;
            });

            List<BackfillProgress> resumed = progress.subList(beforeRestart, progress.size());
            assertThat(resumed).allMatch(p -> p.backfillId().equals("docs-2") && p.rowsTotal() == ROWS);
            // Followed again from the count it had reached when the connector stopped, not from zero; Debezium
            // resumed after the last chunk it had handed over, so the count comes out exact.
            assertThat(resumed.get(0).rowsDone()).isEqualTo(progress.get(beforeRestart - 1).rowsDone());
            Map<Integer, Long> replays = events.stream().filter(Event::incremental)
                    .collect(Collectors.groupingBy(Event::id, Collectors.counting()));
            // Every row came; Debezium resumed from its stored chunk position, so no row came more than twice.
            assertThat(replays.keySet()).hasSize(ROWS);
            assertThat(replays.values()).allMatch(n -> n <= 2);
            assertThat(h.signals()).containsExactly("docs-2");
            assertThat(resumed.get(resumed.size() - 1)).extracting(BackfillProgress::state, BackfillProgress::rowsDone)
                    .containsExactly(State.COMPLETED, (long) ROWS);
        }
    }

    /**
     * Updates, deletes and inserts rows until the backfill is done, a few at a time, each time waiting until the
     * snapshot has replayed more rows, so the changes spread over the whole backfill.
     *
     * @return how many changes it made
     */
    private int write(AtomicInteger replayed, AtomicBoolean done) {
        Random random = new Random(42);
        int writes = 0;
        int nextId = ROWS + 1;
        try (Connection c = h.servers.connect(h.database); Statement s = c.createStatement()) {
            while (!done.get() && writes < 3000) {
                for (int i = 0; i < 20; i++, writes++) {
                    int id = 1 + random.nextInt(ROWS);
                    int pick = random.nextInt(10);
                    if (pick < 6) {
                        s.execute("UPDATE " + h.table.quoted() + " SET title = 'changed " + writes + "' WHERE id = "
                                + id);
                    } else if (pick < 9) {
                        s.execute("DELETE FROM " + h.table.quoted() + " WHERE id = " + id);
                    } else {
                        s.execute("INSERT INTO " + h.table.quoted() + " VALUES (" + nextId++ + ", 'new')");
                    }
                }
                int seen = replayed.get();
                await().atMost(WAIT).until(() -> done.get() || replayed.get() > seen);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return writes;
    }

    /** id → title as the last event of each key on the cdc topic leaves it; a delete removes the key. */
    private static Map<Integer, String> lastStatePerKey(List<Event> events) {
        Map<Integer, String> state = new HashMap<>();
        for (Event e : events) {
            if (e.op().equals("d")) {
                state.remove(e.id());
            } else {
                state.put(e.id(), e.after().get("title").asText());
            }
        }
        return new TreeMap<>(state);
    }

    private boolean topicExists(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                h.kafka.bootstrapServers()))) {
            return admin.listTopics().names().get().contains(topic);
        }
    }
}
