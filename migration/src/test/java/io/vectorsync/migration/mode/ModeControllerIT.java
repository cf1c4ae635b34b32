package io.vectorsync.migration.mode;

import io.vectorsync.core.json.Json;
import io.vectorsync.core.mode.BackfillRequest;
import io.vectorsync.core.mode.CutoverGate;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.mode.RequestOutcome.Result;
import io.vectorsync.core.mode.RequestOutcome;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode;
import io.vectorsync.testkit.LocalServers;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.vectorsync.migration.mode.ModeControlHarness.MAPPINGS;
import static io.vectorsync.migration.mode.ModeControlHarness.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The controller as its own Kafka Streams application on the real Kafka, restarted over an empty state directory. */
@ExtendWith(LocalServers.class)
class ModeControllerIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path stateDir;

    private ModeKafka kafka;
    private String applicationId;
    private ModeController controller;
    private ModeStatusFollower follower;

    @BeforeEach
    void setUp() throws Exception {
        kafka = new ModeKafka("modectl");
        kafka.createTopics(1, kafka.topics.control(), kafka.topics.status(), kafka.topics.backfillRequests(),
                kafka.topics.backfillProgress());
        applicationId = kafka.topics.pipeline() + "-modes";
        kafka.deleteAtClose(applicationId + "-" + ModeControlTopology.STORE + "-changelog");
        follower = new ModeStatusFollower(kafka.kafka);
        follower.start();
    }

    @AfterEach
    void tearDown() {
        if (controller != null) {
            controller.close();
        }
        follower.close();
        kafka.close();
    }

    @Test
    void decidesRequestsAndCarriesOnAfterARestartOverAnEmptyStateDirectory() throws Exception {
        controller = started(stateDir.resolve("first"));
        await().atMost(WAIT).until(() -> follower.status("articles").isPresent()
                && follower.status("notes").isPresent());
        assertThat(follower.status("articles").get().mode()).isEqualTo(StorageMode.SOURCE_ONLY);

        RequestOutcome dual = decide(request("articles", StorageMode.DUAL_WRITE, "request_id", "it-1"));
        assertThat(dual.result()).as("%s", dual.reasons()).isEqualTo(Result.APPLIED);
        assertThat(dual.epoch()).isEqualTo(1);
        await().atMost(WAIT).until(() -> follower.status("articles").get().epoch() == 1);
        List<BackfillRequest> backfills = backfillRequests(1);
        assertThat(backfills).singleElement().satisfies(b -> {
            assertThat(b.collection()).isEqualTo("articles");
            assertThat(b.table()).isEqualTo("public.articles");
            assertThat(b.sink()).isEqualTo(SinkName.MILVUS);
        });
        kafka.send(kafka.topics.control(), null, "[\"not a request\"]");
        controller.close();

        controller = started(stateDir.resolve("second"));
        RequestOutcome shadow = decide(requestAtEpoch("articles", StorageMode.SHADOW, "it-2", 1));

        assertThat(shadow.result()).as("%s", shadow.reasons()).isEqualTo(Result.APPLIED);
        assertThat(shadow.epoch()).isEqualTo(2);
        await().atMost(WAIT).until(() -> follower.status("articles").get().mode() == StorageMode.SHADOW);
        ModeStatus articles = follower.status("articles").get();
        assertThat(articles.backfill().id()).isEqualTo(backfills.get(0).backfillId());
        assertThat(follower.status("notes").get().mode()).isEqualTo(StorageMode.SOURCE_ONLY);
        assertThat(controller.isRunning()).isTrue();
        assertThat(controller.failure()).isNull();
    }

    @Test
    void answersAMalformedRequestAndKeepsRunning() throws Exception {
        controller = started(stateDir.resolve("only"));
        kafka.send(kafka.topics.control(), null, "{\"request_id\":\"it-bad\",\"collection\":7}");

        RequestOutcome bad = follower.awaitOutcome("it-bad", WAIT).orElseThrow();
        assertThat(bad.result()).isEqualTo(Result.REFUSED);
        assertThat(bad.reasons()).contains("collection must be a string, got 7", "mode is required");
        RequestOutcome good = decide(request("notes", StorageMode.DUAL_WRITE, "request_id", "it-good"));
        assertThat(good.result()).isEqualTo(Result.APPLIED);
        assertThat(controller.isRunning()).isTrue();
    }

    private ModeController started(Path dir) {
        ModeController c = new ModeController(kafka.kafka, MAPPINGS, CutoverGate.open(), System::currentTimeMillis,
                applicationId, dir);
        c.start();
        return c;
    }

    private RequestOutcome decide(Map<String, Object> request) throws Exception {
        kafka.send(kafka.topics.control(), (String) request.get("collection"), Json.write(request));
        return follower.awaitOutcome((String) request.get("request_id"), WAIT).orElseThrow(() ->
                new AssertionError("no answer to " + request + "; controller state " + controller.state()
                        + ", failure " + controller.failure()));
    }

    private static Map<String, Object> requestAtEpoch(String collection, StorageMode mode, String requestId,
                                                      long epoch) {
        Map<String, Object> r = request(collection, mode, "request_id", requestId);
        r.put("epoch", epoch);
        return r;
    }

    private List<BackfillRequest> backfillRequests(int expected) {
        List<BackfillRequest> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.kafka.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            TopicPartition tp = new TopicPartition(kafka.topics.backfillRequests(), 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            await().atMost(WAIT).pollInSameThread().until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(Json.read(r.value(), BackfillRequest.class));
                }
                return out.size() >= expected;
            });
        }
        return out;
    }
}
