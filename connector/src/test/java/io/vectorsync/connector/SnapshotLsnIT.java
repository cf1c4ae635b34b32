package io.vectorsync.connector;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.connector.BackfillHarness.Event;
import io.vectorsync.core.Topics;
import io.vectorsync.core.mode.Backfill.State;
import io.vectorsync.core.mode.BackfillProgress;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static io.vectorsync.connector.BackfillHarness.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What position Debezium 3.6.1 gives incremental-snapshot events on PostgreSQL, next to the streamed changes of the
 * same rows, since vectorsync drops a change whose LSN is older than one it already applied to that document.
 * The events are logged as a table; the assertions pin down what was found.
 */
@ExtendWith(LocalServers.class)
class SnapshotLsnIT {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotLsnIT.class);

    private BackfillHarness h;

    @BeforeEach
    void world() throws SQLException {
        Services servers = LocalServers.get();
        h = new BackfillHarness(servers, servers.freshDatabase("snapshot_lsn_it"), 4);
    }

    @AfterEach
    void stop() throws SQLException {
        h.close();
    }

    @Test
    void incrementalSnapshotEventsCarryNoLsnAndTheirSequenceIsTheWindowCloseSoALongTransactionLooksOlder()
            throws Exception {
        h.createTableAndTopics(10);
        h.startConnector(new SimpleMeterRegistry());
        List<Event> events = new ArrayList<>();
        List<BackfillProgress> progress = new ArrayList<>();
        try (KafkaConsumer<String, String> cdc = h.consumer(Topics.cdc(h.table));
             KafkaConsumer<String, String> progressTopic = h.consumer(h.kafka.topics().backfillProgress());
             Connection longTx = h.servers.connect(h.database)) {
            awaitEvents(cdc, events, 10);
            h.sql("UPDATE " + h.table.quoted() + " SET title = 'updated before' WHERE id IN (2, 3)");
            awaitEvents(cdc, events, 12);

            // Changes row 9 before the backfill starts and commits only after the backfill ended.
            longTx.setAutoCommit(false);
            try (Statement s = longTx.createStatement()) {
                s.execute("UPDATE " + h.table.quoted() + " SET title = 'long transaction' WHERE id = 9");
            }
            h.send(h.request("docs-2", "docs", h.table));
            await().atMost(WAIT).until(() -> {
                BackfillHarness.pollProgress(progressTopic, progress);
                return !progress.isEmpty() && progress.get(progress.size() - 1).state() == State.COMPLETED;
            });
            longTx.commit();
            h.sql("UPDATE " + h.table.quoted() + " SET title = 'updated after' WHERE id = 3");
            awaitEvents(cdc, events, 12 + 10 + 2);

            h.stopConnectors();
            h.startConnector(new SimpleMeterRegistry());
            h.sql("UPDATE " + h.table.quoted() + " SET title = 'after restart' WHERE id = 4");
            awaitEvents(cdc, events, 12 + 10 + 3);
        }
        LOG.info("offset op snapshot     id  lsn        sequence [last commit LSN, LSN]  title");
        for (Event e : events) {
            LOG.info("{} {}  {} {} {} {} {}", String.format("%6d", e.offset()), e.op(),
                    String.format("%-11s", e.snapshot()), String.format("%3d", e.id()),
                    String.format("%-10s", e.lsn()), String.format("%-34s", e.sequence()), e.after().get("title"));
        }

        List<Event> snapshot = events.stream().filter(Event::incremental).toList();
        assertThat(snapshot).hasSize(10);
        // 1. No LSN at all: source.lsn is JSON null (so is txId) on every incremental-snapshot event.
        assertThat(snapshot).allMatch(e -> e.lsn() != null && e.lsn().isNull());
        // 2. source.sequence is [X, X]: X is the position of the watermark that closed the event's chunk.
        assertThat(snapshot).allMatch(e -> e.sequence(0) > 0 && e.sequence(0) == e.sequence(1));

        // 3. A change committed before the backfill is older than the snapshot event, by LSN and by sequence.
        Event updatedBefore = streamed(events, 2, "updated before");
        Event row2 = replay(snapshot, 2);
        assertThat(row2.after().get("title").asText()).isEqualTo("updated before");
        assertThat(updatedBefore.lsn().asLong()).isLessThan(row2.sequence(1));

        // 4. The long transaction: the snapshot read row 9 before the transaction committed, so it replays the old
        //    title, and the change follows it on the topic. But the change's LSN is where it was written, before
        //    the backfill began: lower than the snapshot event's position. Ordered by LSN, the newer change looks
        //    older and is dropped as stale, and the stores keep the snapshot's old title. Ordered by the sequence
        //    pair it is newer: its first element, the LSN of the commit before its transaction, lies after the
        //    window that read row 9.
        Event row9 = replay(snapshot, 9);
        Event longChange = streamed(events, 9, "long transaction");
        assertThat(row9.after().get("title").asText()).isEqualTo("row 9");
        assertThat(longChange.offset()).isGreaterThan(row9.offset());
        assertThat(longChange.lsn().asLong()).isLessThan(row9.sequence(1));
        assertThat(longChange.sequence(0)).isGreaterThan(row9.sequence(0));

        // 5. A change after the backfill is newer by either order.
        Event updatedAfter = streamed(events, 3, "updated after");
        Event row3 = replay(snapshot, 3);
        assertThat(updatedAfter.lsn().asLong()).isGreaterThan(row3.sequence(1));
        assertThat(updatedAfter.sequence(0)).isGreaterThan(row3.sequence(0));
    }

    private static void awaitEvents(KafkaConsumer<String, String> cdc, List<Event> events, int count) {
        await().atMost(WAIT).until(() -> {
            BackfillHarness.pollEvents(cdc, events);
            return events.size() >= count;
        });
    }

    private static Event streamed(List<Event> events, int id, String title) {
        return events.stream().filter(e -> e.id() == id && !e.incremental() && e.op().equals("u")
                && e.after().get("title").asText().equals(title)).findFirst().orElseThrow();
    }

    private static Event replay(List<Event> snapshot, int id) {
        return snapshot.stream().filter(e -> e.id() == id).findFirst().orElseThrow();
    }
}
