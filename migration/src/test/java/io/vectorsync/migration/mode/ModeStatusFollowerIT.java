package io.vectorsync.migration.mode;

import io.vectorsync.core.Topics;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.mode.RequestOutcome.Result;
import io.vectorsync.core.mode.RequestOutcome;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode;
import io.vectorsync.testkit.LocalServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@ExtendWith(LocalServers.class)
class ModeStatusFollowerIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private ModeKafka kafka;
    private ModeStatusFollower follower;

    @BeforeEach
    void setUp() throws Exception {
        kafka = new ModeKafka("modefollow");
        // Two partitions: the follower must read every one of them.
        kafka.createTopics(2, kafka.topics.status());
    }

    @AfterEach
    void tearDown() {
        if (follower != null) {
            follower.close();
        }
        kafka.close();
    }

    @Test
    void readsWhatTheTopicAlreadyHeld() throws Exception {
        publish(0, status("articles", StorageMode.SOURCE_ONLY, 0));
        publish(1, status("notes", StorageMode.SOURCE_ONLY, 0));
        publish(0, status("articles", StorageMode.DUAL_WRITE, 1));
        publish(1, outcome("req-old", 1));

        follower = started();

        assertThat(follower.awaitCaughtUp(WAIT)).isTrue();
        assertThat(follower.statuses()).containsOnlyKeys("articles", "notes");
        assertThat(follower.status("articles")).get().extracting(ModeStatus::mode, ModeStatus::epoch)
                .containsExactly(StorageMode.DUAL_WRITE, 1L);
        assertThat(follower.awaitOutcome("req-old", Duration.ZERO)).get().extracting(RequestOutcome::epoch)
                .isEqualTo(1L);
    }

    @Test
    void followsNewRecordsAndSkipsUnreadableOnes() throws Exception {
        follower = started();
        assertThat(follower.awaitCaughtUp(WAIT)).isTrue();
        assertThat(follower.statuses()).isEmpty();

        kafka.send(kafka.topics.status(), 0, "articles", "{not json");
        kafka.send(kafka.topics.status(), 0, Topics.REQUESTS_KEY, "[1,2]");
        kafka.send(kafka.topics.status(), 1, "notes", "{\"collection\":\"articles\",\"mode\":\"SHADOW\"}");
        publish(0, status("articles", StorageMode.SHADOW, 2));

        await().atMost(WAIT).until(() -> follower.status("articles").isPresent());
        assertThat(follower.awaitCaughtUp(WAIT)).isTrue();
        assertThat(follower.statuses()).containsOnlyKeys("articles");
        assertThat(follower.status("articles").get().mode()).isEqualTo(StorageMode.SHADOW);
        assertThat(follower.isRunning()).isTrue();
    }

    @Test
    void aForgedOrReplayedStatusIsIgnoredAndTheRealOneStays() throws Exception {
        ModeStatus real = status("articles", StorageMode.CUTOVER, 5);
        publish(0, real);
        follower = started();
        assertThat(follower.awaitCaughtUp(WAIT)).isTrue();

        publish(0, status("articles", StorageMode.SOURCE_ONLY, 3)); // an old status replayed
        publish(0, status("articles", StorageMode.TARGET_ONLY, 5)); // another mode under the applied epoch

        assertThat(follower.awaitCaughtUp(WAIT)).isTrue();
        assertThat(follower.status("articles")).hasValue(real);
        publish(0, status("articles", StorageMode.TARGET_ONLY, 6));
        await().atMost(WAIT).untilAsserted(() -> assertThat(follower.status("articles")).get()
                .extracting(ModeStatus::mode).isEqualTo(StorageMode.TARGET_ONLY));
    }

    @Test
    void awaitOutcomeFindsAnAnswerWrittenAfterTheCall() throws Exception {
        follower = started();
        assertThat(follower.awaitCaughtUp(WAIT)).isTrue();
        AtomicReference<Optional<RequestOutcome>> found = new AtomicReference<>();
        Thread waiter = new Thread(() -> found.set(follower.awaitOutcome("req-late", WAIT)));
        waiter.start();
        await().atMost(WAIT).until(() -> waiter.getState() == Thread.State.TIMED_WAITING);

        publish(1, outcome("req-other", 3));
        publish(0, outcome("req-late", 4));

        waiter.join(WAIT.toMillis());
        assertThat(found.get()).get().extracting(RequestOutcome::requestId, RequestOutcome::epoch)
                .containsExactly("req-late", 4L);
    }

    @Test
    void awaitOutcomeTimesOutEmptyWhenNoAnswerComes() throws Exception {
        publish(0, outcome("req-1", 1));
        follower = started();

        assertThat(follower.awaitOutcome("req-never", Duration.ofMillis(500))).isEmpty();
        assertThat(follower.awaitOutcome("req-1", WAIT)).isPresent();
    }

    @Test
    void startFailsNamingAStatusTopicThatDoesNotExist() {
        ModeKafka other = new ModeKafka("modefollow_missing");
        try (ModeStatusFollower missing = new ModeStatusFollower(other.kafka)) {
            assertThatThrownBy(missing::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("status topic '" + other.topics.status() + "' does not exist");
        } finally {
            other.close();
        }
    }

    private ModeStatusFollower started() {
        ModeStatusFollower f = new ModeStatusFollower(kafka.kafka);
        f.start();
        return f;
    }

    private void publish(int partition, ModeStatus status) throws Exception {
        kafka.send(kafka.topics.status(), partition, status.collection(), Json.write(status));
    }

    private void publish(int partition, RequestOutcome outcome) throws Exception {
        kafka.send(kafka.topics.status(), partition, Topics.REQUESTS_KEY, Json.write(outcome));
    }

    private static ModeStatus status(String collection, StorageMode mode, long epoch) {
        return new ModeStatus(collection, mode, epoch, SinkName.PGVECTOR, SinkName.MILVUS, 1000 + epoch, "ana",
                "test", false, null, null);
    }

    private static RequestOutcome outcome(String requestId, long epoch) {
        return new RequestOutcome(requestId, Result.APPLIED, "articles", StorageMode.DUAL_WRITE, "ana", epoch, false,
                List.of(), List.of("articles: SOURCE_ONLY -> DUAL_WRITE"), 1000 + epoch);
    }
}
