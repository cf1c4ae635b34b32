package io.vectorsync.migration.mode;

import io.vectorsync.core.json.Json;
import io.vectorsync.core.mode.Backfill;
import io.vectorsync.core.mode.BackfillProgress;
import io.vectorsync.core.mode.BackfillRequest;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.mode.ModeTransitions;
import io.vectorsync.core.mode.RequestOutcome.Result;
import io.vectorsync.core.mode.RequestOutcome;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode.StoreRole;
import io.vectorsync.core.model.StorageMode;
import io.vectorsync.migration.mode.ModeControlHarness.Step;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static io.vectorsync.core.model.StorageMode.CUTOVER;
import static io.vectorsync.core.model.StorageMode.DUAL_WRITE;
import static io.vectorsync.core.model.StorageMode.SHADOW;
import static io.vectorsync.core.model.StorageMode.SOURCE_ONLY;
import static io.vectorsync.core.model.StorageMode.TARGET_ONLY;
import static io.vectorsync.migration.mode.ModeControlHarness.request;
import static org.assertj.core.api.Assertions.assertThat;

class ModeControlTopologyTest {
    /** Legal moves from SOURCE_ONLY to each mode. */
    private static final Map<StorageMode, List<StorageMode>> PATH = Map.of(
            SOURCE_ONLY, List.of(),
            DUAL_WRITE, List.of(DUAL_WRITE),
            SHADOW, List.of(DUAL_WRITE, SHADOW),
            CUTOVER, List.of(DUAL_WRITE, SHADOW, CUTOVER),
            TARGET_ONLY, List.of(DUAL_WRITE, SHADOW, CUTOVER, TARGET_ONLY));

    @TempDir
    Path stateDir;

    private final FakeGate gate = new FakeGate();
    private ModeControlHarness h;

    @BeforeEach
    void setUp() {
        h = new ModeControlHarness(stateDir, gate);
        h.start();
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    static Stream<Arguments> everyPairOfModes() {
        return Arrays.stream(StorageMode.values())
                .flatMap(from -> Arrays.stream(StorageMode.values()).map(to -> Arguments.of(from, to)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("everyPairOfModes")
    void everyMoveIsAppliedOrRefusedExactlyAsTheStateMachineSays(StorageMode from, StorageMode to) {
        PATH.get(from).forEach(m -> h.apply(request("articles", m)));
        ModeStatus before = h.stored("articles");
        assertThat(before.mode()).isEqualTo(from);
        assertThat(before.epoch()).isEqualTo(PATH.get(from).size());

        Step step = h.send(request("articles", to));

        RequestOutcome outcome = step.outcome();
        ModeStatus after = h.stored("articles");
        assertThat(step.status("articles")).isEqualTo(after);
        assertThat(after.lastRequest()).isEqualTo(outcome);
        Optional<String> refusal = ModeTransitions.refusal(from, to);
        if (refusal.isEmpty()) {
            assertThat(outcome.result()).isEqualTo(Result.APPLIED);
            assertThat(outcome.reasons()).isEmpty();
            assertThat(outcome.epoch()).isEqualTo(before.epoch() + 1);
            assertThat(after.mode()).isEqualTo(to);
            assertThat(after.epoch()).isEqualTo(before.epoch() + 1);
            assertThat(step.backfills()).extracting(BackfillRequest::store)
                    .containsExactlyElementsOf(ModeTransitions.backfills(from, to).stream().toList());
        } else {
            assertThat(outcome.result()).isEqualTo(Result.REFUSED);
            assertThat(outcome.reasons()).containsExactly(refusal.get());
            assertThat(outcome.epoch()).isEqualTo(before.epoch());
            assertUnchanged(before, after);
            assertThat(step.backfills()).isEmpty();
        }
        assertThat(h.stored("notes").mode()).isEqualTo(SOURCE_ONLY);
    }

    @Test
    void closedGateRefusesCutoverNamingTheFailingConditions() {
        h.apply(request("articles", DUAL_WRITE));
        h.apply(request("articles", SHADOW));
        ModeStatus before = h.stored("articles");
        gate.close();

        Step step = h.send(request("articles", CUTOVER));

        assertThat(step.outcome().result()).isEqualTo(Result.REFUSED);
        assertThat(step.outcome().reasons()).containsExactly(
                "cutover gate closed: " + FakeGate.E2E_SLOW.describe(),
                "cutover gate closed: " + FakeGate.MATCH_LOW.describe());
        assertThat(gate.asked).extracting(ModeStatus::mode).containsExactly(SHADOW);
        assertUnchanged(before, h.stored("articles"));
    }

    @Test
    void forceAppliesCutoverPastAClosedGateAndRecordsTheOverriddenConditions() {
        h.apply(request("articles", DUAL_WRITE));
        h.apply(request("articles", SHADOW));
        gate.close();

        Step step = h.send(request("articles", CUTOVER, "force", true));

        RequestOutcome outcome = step.outcome();
        assertThat(outcome.result()).isEqualTo(Result.APPLIED);
        assertThat(outcome.forced()).isTrue();
        assertThat(outcome.reasons()).containsExactly(
                "cutover gate closed: " + FakeGate.E2E_SLOW.describe(),
                "cutover gate closed: " + FakeGate.MATCH_LOW.describe());
        ModeStatus after = h.stored("articles");
        assertThat(after.mode()).isEqualTo(CUTOVER);
        assertThat(after.epoch()).isEqualTo(3);
        assertThat(after.forced()).isTrue();
        assertThat(after.readStore()).isEqualTo(SinkName.MILVUS);
    }

    @Test
    void aRollbackAsksAGateOnlyWhenReadsGoBackToALegacyStoreRefilledAfterTargetOnly() {
        PATH.get(TARGET_ONLY).forEach(m -> h.apply(request("articles", m)));
        gate.close();
        gate.asked.clear();

        h.apply(request("articles", CUTOVER));
        assertThat(gate.asked).as("back to CUTOVER: the target keeps serving reads").isEmpty();
        h.progress("articles", new BackfillProgress(h.stored("articles").backfill().id(), "articles",
                Backfill.State.COMPLETED, 5, 5, h.clock.get()));
        RequestOutcome refused = h.send(request("articles", SHADOW)).outcome();
        assertThat(refused.result()).isEqualTo(Result.REFUSED);
        assertThat(refused.reasons()).containsExactly("rollback gate closed: " + FakeGate.E2E_SLOW.describe(),
                "rollback gate closed: " + FakeGate.MATCH_LOW.describe());
        assertThat(gate.asked).hasSize(1);

        gate.open();
        h.apply(request("articles", SHADOW));
        gate.close();
        h.apply(request("articles", DUAL_WRITE));
        h.apply(request("articles", SOURCE_ONLY));

        assertThat(gate.asked).as("only the two moves of reads back to pgvector").hasSize(2);
        assertThat(h.stored("articles").mode()).isEqualTo(SOURCE_ONLY);
    }

    @Test
    void aGateThatFailsRefusesTheRequestAndTheControllerGoesOn() {
        h.apply(request("articles", DUAL_WRITE));
        ModeStatus before = h.stored("articles");
        gate.fail(new IllegalStateException("lag monitor unreachable"));

        Step step = h.send(request("articles", CUTOVER));

        assertThat(step.outcome().result()).isEqualTo(Result.REFUSED);
        assertThat(step.outcome().reasons()).singleElement().asString()
                .contains("could not decide").contains("lag monitor unreachable");
        assertThat(h.stored("articles")).isEqualTo(before);
        assertThat(h.send(request("notes", DUAL_WRITE)).outcome().result()).isEqualTo(Result.APPLIED);
    }

    @Test
    void dryRunAnswersWouldApplyAndChangesNothing() {
        ModeStatus before = h.stored("articles");

        Step step = h.send(request("articles", DUAL_WRITE, "dry_run", true));

        assertThat(step.outcome().result()).isEqualTo(Result.WOULD_APPLY);
        assertThat(step.outcome().actions()).anySatisfy(a -> assertThat(a).contains("SOURCE_ONLY -> DUAL_WRITE"));
        assertThat(step.statuses()).isEmpty();
        assertThat(step.backfills()).isEmpty();
        assertThat(h.stored("articles")).isEqualTo(before);
    }

    @Test
    void dryRunAnswersWouldRefuseWithTheReasonsAndChangesNothing() {
        h.apply(request("articles", DUAL_WRITE));
        h.apply(request("articles", SHADOW));
        ModeStatus before = h.stored("articles");
        gate.close();

        Step step = h.send(request("articles", CUTOVER, "dry_run", true));

        assertThat(step.outcome().result()).isEqualTo(Result.WOULD_REFUSE);
        assertThat(step.outcome().reasons()).hasSize(2)
                .allSatisfy(r -> assertThat(r).startsWith("cutover gate closed: "));
        assertThat(step.statuses()).isEmpty();
        assertThat(h.stored("articles")).isEqualTo(before);
    }

    @Test
    void staleEpochIsRefused() {
        h.apply(request("articles", DUAL_WRITE));
        h.apply(request("articles", SHADOW));
        ModeStatus before = h.stored("articles");

        Step step = h.send(request("articles", CUTOVER, "epoch", 1));

        assertThat(step.outcome().result()).isEqualTo(Result.REFUSED);
        assertThat(step.outcome().reasons()).singleElement().asString()
                .contains("stale request").contains("epoch 1").contains("SHADOW at epoch 2");
        assertUnchanged(before, h.stored("articles"));
    }

    @Test
    void epochFromTheFutureIsRefused() {
        h.apply(request("articles", DUAL_WRITE));

        Step step = h.send(request("articles", SHADOW, "epoch", 7));

        assertThat(step.outcome().result()).isEqualTo(Result.REFUSED);
        assertThat(step.outcome().reasons()).anySatisfy(r -> assertThat(r)
                .contains("epoch 7 is newer than the newest applied epoch 1"));
        assertThat(h.stored("articles").mode()).isEqualTo(DUAL_WRITE);
    }

    @Test
    void currentEpochIsAccepted() {
        h.apply(request("articles", DUAL_WRITE));

        assertThat(h.send(request("articles", SHADOW, "epoch", 1)).outcome().epoch()).isEqualTo(2);
        assertThat(h.stored("articles").mode()).isEqualTo(SHADOW);
    }

    @Test
    void allMovesEveryMigratingCollectionWithOneEpoch() {
        Step step = h.send(request("all", DUAL_WRITE));

        assertThat(step.outcome().result()).isEqualTo(Result.APPLIED);
        assertThat(step.outcome().epoch()).isEqualTo(1);
        assertThat(step.statuses()).extracting(ModeStatus::collection).containsExactlyInAnyOrder("articles", "notes");
        assertThat(step.statuses()).allSatisfy(s -> {
            assertThat(s.mode()).isEqualTo(DUAL_WRITE);
            assertThat(s.epoch()).isEqualTo(1);
        });
        assertThat(step.backfills()).extracting(BackfillRequest::collection, BackfillRequest::sink)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("articles", SinkName.MILVUS),
                        org.assertj.core.groups.Tuple.tuple("notes", SinkName.NEO4J));
        assertThat(h.stored("logs")).isNull();
    }

    @Test
    void allMovesNoneWhenAnyIsRefused() {
        h.apply(request("all", DUAL_WRITE));
        h.apply(request("articles", SHADOW));
        ModeStatus articles = h.stored("articles");
        ModeStatus notes = h.stored("notes");

        Step step = h.send(request("all", SHADOW));

        assertThat(step.outcome().result()).isEqualTo(Result.REFUSED);
        assertThat(step.outcome().reasons()).containsExactly("articles: already in SHADOW");
        assertThat(step.backfills()).isEmpty();
        assertUnchanged(articles, h.stored("articles"));
        assertUnchanged(notes, h.stored("notes"));
        assertThat(h.stored("notes").mode()).isEqualTo(DUAL_WRITE);
    }

    static Stream<Arguments> badRequests() {
        String ok = "\"collection\":\"articles\",\"mode\":\"DUAL_WRITE\",\"requested_by\":\"ana\"";
        return Stream.of(
                Arguments.of("unknown collection", "{\"collection\":\"ghost\",\"mode\":\"DUAL_WRITE\","
                        + "\"requested_by\":\"ana\"}", "unknown collection 'ghost'"),
                Arguments.of("non-migrating collection", "{\"collection\":\"logs\",\"mode\":\"DUAL_WRITE\","
                        + "\"requested_by\":\"ana\"}", "collection 'logs' does not migrate"),
                Arguments.of("invalid JSON", "{\"collection\": articles", "not valid JSON"),
                Arguments.of("JSON array", "[{" + ok + "}]", "a mode request is a JSON object, got array"),
                Arguments.of("JSON number", "42", "a mode request is a JSON object, got number"),
                Arguments.of("empty text", "", "a mode request is a JSON object"),
                Arguments.of("missing mode", "{\"collection\":\"articles\",\"requested_by\":\"ana\"}",
                        "mode is required"),
                Arguments.of("missing requested_by", "{\"collection\":\"articles\",\"mode\":\"DUAL_WRITE\"}",
                        "requested_by is required"),
                Arguments.of("missing collection", "{\"mode\":\"DUAL_WRITE\",\"requested_by\":\"ana\"}",
                        "collection is required"),
                Arguments.of("unknown field", "{" + ok + ",\"colour\":\"red\"}", "unknown field 'colour'"),
                Arguments.of("mode not a string", "{\"collection\":\"articles\",\"mode\":3,\"requested_by\":\"a\"}",
                        "mode must be a string, got 3"),
                Arguments.of("unknown mode", "{\"collection\":\"articles\",\"mode\":\"WARP\",\"requested_by\":\"a\"}",
                        "unknown mode 'WARP'"),
                Arguments.of("dry_run not a boolean", "{" + ok + ",\"dry_run\":\"yes\"}",
                        "dry_run must be true or false, got \"yes\""),
                Arguments.of("force not a boolean", "{" + ok + ",\"force\":1}", "force must be true or false, got 1"),
                Arguments.of("epoch not a number", "{" + ok + ",\"epoch\":\"one\"}",
                        "epoch must be a whole number >= 0, got \"one\""),
                Arguments.of("negative epoch", "{" + ok + ",\"epoch\":-1}", "epoch must be a whole number >= 0"),
                Arguments.of("reserved store key as collection", "{\"collection\":\"@control-position\","
                        + "\"mode\":\"DUAL_WRITE\",\"requested_by\":\"ana\"}",
                        "unknown collection '@control-position'"),
                Arguments.of("reserved status key as collection", "{\"collection\":\"@requests\","
                        + "\"mode\":\"DUAL_WRITE\",\"requested_by\":\"ana\"}", "unknown collection '@requests'"),
                Arguments.of("collection not a string", "{\"collection\":[\"articles\"],\"mode\":\"DUAL_WRITE\","
                        + "\"requested_by\":\"ana\"}", "collection must be a string"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRequestIsRefusedNamingTheProblem(String kind, String message, String problem) {
        h.apply(request("notes", DUAL_WRITE)); // so the store holds a control position too
        ModeStatus before = h.stored("articles");

        Step step = h.sendRaw(message);

        assertThat(step.outcome().result()).isEqualTo(Result.REFUSED);
        assertThat(step.outcome().reasons()).anySatisfy(r -> assertThat(r).contains(problem));
        assertThat(step.backfills()).isEmpty();
        assertThat(step.statuses()).allSatisfy(s -> assertUnchanged(h.stored(s.collection()), s));
        assertUnchanged(before, h.stored("articles"));
        assertThat(h.stored("logs")).isNull();
    }

    @Test
    void aResentRequestIdIsNotAppliedTwice() {
        Map<String, Object> request = request("articles", DUAL_WRITE, "request_id", "req-1");
        Step first = h.apply(request);
        h.progress("articles", new BackfillProgress(first.backfills().get(0).backfillId(), "articles",
                Backfill.State.RUNNING, 10, 100, h.clock.get()));
        ModeStatus before = h.stored("articles");

        Step again = h.send(request);

        assertThat(again.outcome()).isEqualTo(first.outcome());
        assertThat(again.status("articles")).isEqualTo(before);
        assertThat(again.backfills()).containsExactlyElementsOf(first.backfills());
        assertThat(h.stored("articles")).isEqualTo(before);
        assertThat(h.stored("articles").epoch()).isEqualTo(1);
    }

    @Test
    void aRequestWithoutIdIsAnsweredUnderItsOffset() {
        RequestOutcome first = h.send(request("articles", DUAL_WRITE)).outcome();
        RequestOutcome second = h.send(request("articles", DUAL_WRITE)).outcome();

        assertThat(first.requestId()).isEqualTo("control-0-0");
        assertThat(first.result()).isEqualTo(Result.APPLIED);
        assertThat(second.requestId()).isEqualTo("control-0-1");
        assertThat(second.result()).isEqualTo(Result.REFUSED);
        assertThat(second.reasons()).containsExactly("already in DUAL_WRITE");
    }

    @Test
    void enteringDualWriteRequestsABackfillOfTheTargetFromTheSourceTable() {
        Step step = h.apply(request("articles", DUAL_WRITE));

        BackfillRequest backfill = step.backfills().get(0);
        assertThat(step.backfills()).hasSize(1);
        assertThat(backfill.collection()).isEqualTo("articles");
        assertThat(backfill.table()).isEqualTo("public.articles");
        assertThat(backfill.store()).isEqualTo(StoreRole.TARGET);
        assertThat(backfill.sink()).isEqualTo(SinkName.MILVUS);
        Backfill shown = h.stored("articles").backfill();
        assertThat(shown.id()).isEqualTo(backfill.backfillId());
        assertThat(shown.state()).isEqualTo(Backfill.State.RUNNING);
        assertThat(shown.rowsTotal()).isEqualTo(-1);
    }

    @Test
    void backfillProgressUpdatesTheStatusWithoutANewEpoch() {
        String id = h.apply(request("articles", DUAL_WRITE)).backfills().get(0).backfillId();

        Step running = h.progress("articles", new BackfillProgress(id, "articles", Backfill.State.RUNNING, 400,
                1000, h.clock.get()));
        Backfill shown = running.status("articles").backfill();
        assertThat(shown.rowsDone()).isEqualTo(400);
        assertThat(shown.rowsTotal()).isEqualTo(1000);
        assertThat(shown.state()).isEqualTo(Backfill.State.RUNNING);

        long doneAt = h.clock.get() + 1;
        Step done = h.progress("articles", new BackfillProgress(id, "articles", Backfill.State.COMPLETED, 1000,
                1000, doneAt));
        ModeStatus after = done.status("articles");
        assertThat(after.backfill().state()).isEqualTo(Backfill.State.COMPLETED);
        assertThat(after.backfill().rowsDone()).isEqualTo(1000);
        assertThat(after.backfill().finishedAtMs()).isEqualTo(doneAt);
        assertThat(after.epoch()).isEqualTo(1);
        assertThat(after.mode()).isEqualTo(DUAL_WRITE);
        assertThat(h.stored("articles")).isEqualTo(after);
        assertThat(done.outcomes()).isEmpty();
    }

    @Test
    void progressOfAnotherBackfillOrUnreadableProgressIsIgnored() {
        h.apply(request("articles", DUAL_WRITE));
        ModeStatus before = h.stored("articles");

        Step other = h.progress("articles", new BackfillProgress("articles-99", "articles", Backfill.State.COMPLETED,
                5, 5, h.clock.get()));
        Step noBackfill = h.progress("notes", new BackfillProgress("notes-1", "notes", Backfill.State.RUNNING, 5, 5,
                h.clock.get()));
        Step garbage = h.progressRaw("articles", "{not json");
        Step wrongType = h.progressRaw("articles", "{\"backfill_id\":\"articles-1\",\"state\":\"FLYING\"}");
        Step reservedKey = h.progressRaw(ModeStore.POSITION_KEY, Json.write(new BackfillProgress("x", null,
                Backfill.State.RUNNING, 1, 1, h.clock.get())));

        for (Step step : List.of(other, noBackfill, garbage, wrongType, reservedKey)) {
            assertThat(step.statuses()).isEmpty();
            assertThat(step.outcomes()).isEmpty();
        }
        assertThat(h.stored("articles")).isEqualTo(before);
        assertThat(h.send(request("articles", SHADOW)).outcome().result()).isEqualTo(Result.APPLIED);
    }

    @Test
    void everyMigratingCollectionsStatusIsPublishedOnceAtStart() {
        try (ModeControlHarness fresh = new ModeControlHarness(stateDir.resolve("fresh"), gate)) {
            assertThat(fresh.drain().statuses()).isEmpty();

            Step start = fresh.start();

            assertThat(start.statuses()).extracting(ModeStatus::collection).containsExactly("articles", "notes");
            assertThat(start.statuses()).allSatisfy(s -> {
                assertThat(s.mode()).isEqualTo(SOURCE_ONLY);
                assertThat(s.epoch()).isZero();
                assertThat(s.lastRequest()).isNull();
            });
            assertThat(start.status("articles").legacy()).isEqualTo(SinkName.PGVECTOR);
            assertThat(start.status("articles").target()).isEqualTo(SinkName.MILVUS);
            assertThat(fresh.stored("notes")).isEqualTo(start.status("notes"));
            fresh.driver.advanceWallClockTime(ModeControlTopology.STARTUP_DELAY.multipliedBy(10));
            assertThat(fresh.drain().statuses()).isEmpty();
        }
    }

    /**
     * TopologyTestDriver.close() deletes its state directory, so a restart over the same directory cannot be shown
     * with it. What Kafka Streams rebuilds a lost or moved store from is the changelog: this test loads the first
     * controller's changelog into a fresh controller's store, as restoration does, and checks that it carries on from
     * there. ModeControllerIT restarts the real application over an empty state directory.
     */
    @Test
    void statusesSurviveARestartThroughTheChangelog() {
        Step dual = h.apply(request("articles", DUAL_WRITE, "request_id", "req-1"));
        String backfillId = dual.backfills().get(0).backfillId();
        h.progress("articles", new BackfillProgress(backfillId, "articles", Backfill.State.RUNNING, 10, 100,
                h.clock.get()));
        ModeStatus articles = h.stored("articles");
        ModeStatus notes = h.stored("notes");
        List<KeyValue<String, String>> changelog = h.changelog();
        assertThat(changelog).isNotEmpty();
        h.close();

        h = new ModeControlHarness(stateDir.resolve("restarted"), gate);
        h.clock.set(articles.updatedAtMs() + 60_000);
        changelog.forEach(kv -> h.store().put(kv.key, kv.value));
        Step start = h.start();

        assertThat(start.statuses()).containsExactly(articles, notes);
        assertThat(h.send(request("articles", DUAL_WRITE, "request_id", "req-1")).outcome())
                .isEqualTo(dual.outcome());
        Step shadow = h.send(request("articles", SHADOW, "epoch", 1));
        assertThat(shadow.outcome().result()).isEqualTo(Result.APPLIED);
        assertThat(shadow.outcome().epoch()).isEqualTo(2);
        assertThat(shadow.status("articles").backfill().rowsDone()).isEqualTo(10);
    }

    @Test
    void twoHundredBadMessagesInARowAreEachRefusedAndALegalRequestStillApplies() {
        h.apply(request("notes", DUAL_WRITE));
        ModeStatus articles = h.stored("articles");
        ModeStatus notes = h.stored("notes");
        List<String> kinds = List.of(
                "not json {%d",
                "[%d]",
                "%d",
                "null",
                "\"text %d\"",
                "{}",
                "{\"collection\":\"articles\",\"mode\":\"DUAL_WRITE\"}",
                "{\"collection\":\"articles\",\"mode\":\"DUAL_WRITE\",\"requested_by\":\"x\",\"n%d\":1}",
                "{\"collection\":\"articles\",\"mode\":%d,\"requested_by\":\"x\"}",
                "{\"collection\":\"articles\",\"mode\":\"DUAL_WRITE\",\"requested_by\":\"x\",\"dry_run\":\"%d\"}",
                "{\"collection\":\"articles\",\"mode\":\"DUAL_WRITE\",\"requested_by\":\"x\",\"epoch\":\"%d\"}",
                "{\"collection\":\"articles\",\"mode\":\"MODE_%d\",\"requested_by\":\"x\"}",
                "{\"collection\":\"ghost%d\",\"mode\":\"DUAL_WRITE\",\"requested_by\":\"x\"}",
                "{\"collection\":\"logs\",\"mode\":\"DUAL_WRITE\",\"requested_by\":\"x%d\"}",
                "{\"collection\":\"articles\",\"mode\":\"CUTOVER\",\"requested_by\":\"x%d\"}",
                "{\"collection\":\"articles\",\"mode\":\"SOURCE_ONLY\",\"requested_by\":\"x%d\"}",
                "{\"collection\":\"notes\",\"mode\":\"TARGET_ONLY\",\"requested_by\":\"x%d\"}",
                "{\"collection\":\"articles\",\"mode\":\"DUAL_WRITE\",\"requested_by\":\"x\",\"epoch\":1%d}",
                "{\"collection\":\"all\",\"mode\":\"DUAL_WRITE\",\"requested_by\":\"x%d\"}",
                "{\"collection\":\"articles\",\"mode\":\"DUAL_WRITE\",\"requested_by\":\"\\u0007%d\"}",
                "{\"collection\":\"articles\",\"mode\":\"DUAL_WRITE\",\"requested_by\":\"x\",\"reason\":\""
                        + "r".repeat(1001) + "%d\"}");
        List<RequestOutcome> answers = new ArrayList<>();
        List<ModeStatus> emitted = new ArrayList<>();

        for (int i = 0; i < 200; i++) {
            Step step = h.sendRaw(kinds.get(i % kinds.size()).formatted(i));
            answers.add(step.outcome());
            emitted.addAll(step.statuses());
            assertThat(step.backfills()).isEmpty();
        }

        assertThat(answers).hasSize(200).allSatisfy(a -> {
            assertThat(a.result()).isEqualTo(Result.REFUSED);
            assertThat(a.reasons()).isNotEmpty().allSatisfy(r -> assertThat(r).isNotBlank());
        });
        assertThat(emitted).allSatisfy(s -> assertUnchanged(s.collection().equals("notes") ? notes : articles, s));
        assertUnchanged(articles, h.stored("articles"));
        assertUnchanged(notes, h.stored("notes"));
        Step legal = h.send(request("articles", DUAL_WRITE));
        assertThat(legal.outcome().result()).isEqualTo(Result.APPLIED);
        assertThat(legal.outcome().epoch()).isEqualTo(2);
    }

    @Test
    void statusAndOutcomeRoundTripThroughJson() {
        Step step = h.apply(request("articles", DUAL_WRITE));
        h.progress("articles", new BackfillProgress(step.backfills().get(0).backfillId(), "articles",
                Backfill.State.RUNNING, 1, 2, h.clock.get()));
        ModeStatus status = h.stored("articles");
        assertThat(status.backfill()).isNotNull();
        assertThat(status.lastRequest()).isNotNull();

        assertThat(Json.read(Json.write(status), ModeStatus.class)).isEqualTo(status);
        assertThat(Json.read(Json.write(status.lastRequest()), RequestOutcome.class)).isEqualTo(status.lastRequest());
        assertThat(Json.read(Json.write(status.backfill()), Backfill.class)).isEqualTo(status.backfill());
        assertThat(Json.write(status)).contains("\"last_request\":{", "\"updated_at_ms\":", "\"rows_total\":2",
                "\"request_id\":").doesNotContain("read_store");
        ModeStatus initial = h.stored("notes");
        assertThat(initial.backfill()).isNull();
        assertThat(Json.read(Json.write(initial), ModeStatus.class)).isEqualTo(initial);
        BackfillRequest request = step.backfills().get(0);
        assertThat(Json.read(Json.write(request), BackfillRequest.class)).isEqualTo(request);
        BackfillProgress progress = new BackfillProgress("b-1", "articles", Backfill.State.ABORTED, 3, -1, 9);
        assertThat(Json.read(Json.write(progress), BackfillProgress.class)).isEqualTo(progress);
        assertThat(Json.write(progress)).contains("\"backfill_id\":\"b-1\"", "\"rows_done\":3");
    }

    /** Everything but the last request is as it was. */
    private static void assertUnchanged(ModeStatus before, ModeStatus after) {
        assertThat(after.withLastRequest(before.lastRequest())).isEqualTo(before);
    }

    @Test
    void aRequestOnAnOperatorsOwnControlTopicIsRecordedAsSentByThatPrincipalWhateverItDeclares() {
        Step step = h.sendAs("alice", request("articles", DUAL_WRITE)); // declares requested_by "ana"

        assertThat(step.outcome().result()).isEqualTo(Result.APPLIED);
        assertThat(step.outcome().requestedBy()).isEqualTo("User:alice");
        assertThat(h.stored("articles").requestedBy()).isEqualTo("User:alice");

        Step shared = h.send(request("articles", SHADOW));
        assertThat(shared.outcome().requestedBy()).as("on the shared topic the declared requester stands")
                .isEqualTo("ana");
    }

    @Test
    void eachControlTopicKeepsItsOwnPositionSoAnOperatorsFirstRequestIsDecidedNotTakenForAReplay() {
        h.apply(request("articles", DUAL_WRITE));
        h.apply(request("notes", DUAL_WRITE)); // the shared topic's position is now offset 1

        Step first = h.sendAs("alice", request("articles", SHADOW)); // offset 0 of alice's topic

        assertThat(first.outcome().result()).isEqualTo(Result.APPLIED);
        assertThat(h.stored("articles").mode()).isEqualTo(SHADOW);
    }
}
