package io.vectorsync.migration.mode;

import io.vectorsync.core.Topics;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.mode.BackfillRequest;
import io.vectorsync.core.mode.CutoverGate;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.mode.RequestOutcome.Result;
import io.vectorsync.core.mode.RequestOutcome;
import io.vectorsync.migration.mode.ModeControlHarness.Step;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static io.vectorsync.core.model.StorageMode.CUTOVER;
import static io.vectorsync.core.model.StorageMode.DUAL_WRITE;
import static io.vectorsync.core.model.StorageMode.SHADOW;
import static io.vectorsync.migration.mode.ModeControlHarness.MAPPINGS;
import static io.vectorsync.migration.mode.ModeControlHarness.TOPICS;
import static io.vectorsync.migration.mode.ModeControlHarness.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redelivery after a crash, which TopologyTestDriver cannot stage (it never hands a record over twice): the processor
 * gets control records at offsets it has already decided, with the store as the changelog restored it.
 */
class ModeControlProcessorTest {
    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private final MockProcessorContext<String, ModeOutput> context = new MockProcessorContext<>();
    private KeyValueStore<String, String> store;
    private ModeControlProcessor processor;

    @BeforeEach
    void setUp() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ModeControlTopology.STORE), Serdes.String(),
                Serdes.String()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        processor = new ModeControlProcessor(TOPICS, MAPPINGS, CutoverGate.open(), clock::get);
        processor.init(context);
    }

    @Test
    void aRedeliveredRequestIsNotDecidedAgainstTheNewerStateItLeftBehind() {
        Step first = control(0, request("articles", DUAL_WRITE, "request_id", "r1"));
        Step second = control(1, request("articles", SHADOW, "request_id", "r2"));
        assertThat(first.outcome().result()).isEqualTo(Result.APPLIED);
        assertThat(second.outcome().result()).isEqualTo(Result.APPLIED);
        ModeStatus shadow = stored("articles");

        // Decided again, r1 would be a rollback from SHADOW to DUAL_WRITE, and it would be applied.
        Step replayOfFirst = control(0, request("articles", DUAL_WRITE, "request_id", "r1"));
        Step replayOfSecond = control(1, request("articles", SHADOW, "request_id", "r2"));

        assertThat(replayOfFirst.outcomes()).isEmpty();
        assertThat(replayOfFirst.statuses()).containsExactly(shadow);
        assertThat(replayOfFirst.backfills()).isEmpty();
        assertThat(replayOfSecond.outcome()).isEqualTo(second.outcome());
        assertThat(replayOfSecond.statuses()).containsExactly(shadow);
        assertThat(stored("articles")).isEqualTo(shadow);
        Step next = control(2, request("articles", CUTOVER));
        assertThat(next.outcome().result()).isEqualTo(Result.APPLIED);
        assertThat(next.outcome().epoch()).isEqualTo(3);
    }

    @Test
    void aRedeliveredLatestRequestRepublishesItsStatusItsAnswerAndItsBackfill() {
        Step first = control(0, request("articles", DUAL_WRITE));
        assertThat(first.backfills()).hasSize(1);

        Step replay = control(0, request("articles", DUAL_WRITE));

        assertThat(replay.outcome()).isEqualTo(first.outcome());
        assertThat(replay.outcome().requestId()).isEqualTo("control-0-0");
        assertThat(replay.statuses()).isEqualTo(first.statuses());
        assertThat(replay.backfills()).isEqualTo(first.backfills());
        assertThat(stored("articles").epoch()).isEqualTo(1);
    }

    @Test
    void redeliveredUnreadableMessagesAndDryRunsAreAnsweredAgain() {
        Step garbage = controlRaw(0, "{oops");
        Step dryRun = control(1, request("articles", DUAL_WRITE, "dry_run", true));

        Step garbageAgain = controlRaw(0, "{oops");
        Step dryRunAgain = control(1, request("articles", DUAL_WRITE, "dry_run", true));

        assertThat(garbageAgain.outcome().result()).isEqualTo(Result.REFUSED);
        assertThat(garbageAgain.outcome().reasons()).isEqualTo(garbage.outcome().reasons());
        assertThat(dryRunAgain.outcome().result()).isEqualTo(Result.WOULD_APPLY);
        assertThat(dryRunAgain.outcome().actions()).isEqualTo(dryRun.outcome().actions());
        assertThat(stored("articles")).isNull();
    }

    private Step control(long offset, Map<String, Object> request) {
        return controlRaw(offset, Json.write(request));
    }

    private Step controlRaw(long offset, String value) {
        clock.addAndGet(1000);
        context.setRecordMetadata(TOPICS.control(), 0, offset);
        processor.process(new Record<>(null, value, clock.get()));
        List<RequestOutcome> outcomes = new ArrayList<>();
        List<ModeStatus> statuses = new ArrayList<>();
        List<BackfillRequest> backfills = new ArrayList<>();
        for (var forward : context.forwarded()) {
            Record<? extends String, ? extends ModeOutput> r = forward.record();
            if (r.value().kind() == ModeOutput.Kind.BACKFILL) {
                backfills.add(Json.read(r.value().json(), BackfillRequest.class));
            } else if (Topics.REQUESTS_KEY.equals(r.key())) {
                outcomes.add(Json.read(r.value().json(), RequestOutcome.class));
            } else {
                statuses.add(Json.read(r.value().json(), ModeStatus.class));
            }
        }
        context.resetForwards();
        return new Step(outcomes, statuses, backfills);
    }

    private ModeStatus stored(String collection) {
        String json = store.get(collection);
        return json == null ? null : Json.read(json, ModeStatus.class);
    }
}
