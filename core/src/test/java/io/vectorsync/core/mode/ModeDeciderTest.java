package io.vectorsync.core.mode;

import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode;
import io.vectorsync.core.model.StorageMode.StoreRole;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.vectorsync.core.model.StorageMode.CUTOVER;
import static io.vectorsync.core.model.StorageMode.DUAL_WRITE;
import static io.vectorsync.core.model.StorageMode.SHADOW;
import static io.vectorsync.core.model.StorageMode.SOURCE_ONLY;
import static io.vectorsync.core.model.StorageMode.TARGET_ONLY;
import static org.assertj.core.api.Assertions.assertThat;

class ModeDeciderTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final GateVerdict CLOSED = GateVerdict.of(List.of(
            new GateVerdict.Condition("target consumer lag (milvus)", false, "1234 records", "100 records"),
            new GateVerdict.Condition("target backfill (milvus)", true, "COMPLETED", "COMPLETED")));

    private final MappingConfig mappings = mappings();
    private final Map<String, ModeStatus> applied = new HashMap<>();
    private GateVerdict gate = GateVerdict.of(List.of());
    private int gateCalls;
    private final ModeDecider decider = new ModeDecider(mappings, s -> {
        gateCalls++;
        return gate;
    }, () -> NOW);

    @Test
    void everyMigratingCollectionStartsInSourceOnlyAtEpochZero() {
        assertThat(decider.withInitial(Map.of())).containsOnlyKeys("articles", "books");
        assertThat(decider.withInitial(Map.of()).get("articles")).isEqualTo(new ModeStatus("articles", SOURCE_ONLY,
                0, SinkName.PGVECTOR, SinkName.MILVUS, NOW, "vectorsync", "initial mode", false, null, null));
    }

    @Test
    void enteringDualWriteBumpsTheEpochAndBackfillsTheTarget() {
        ModeDecider.Decision d = apply(request("articles", DUAL_WRITE));

        assertThat(d.outcome().result()).isEqualTo(RequestOutcome.Result.APPLIED);
        assertThat(d.outcome().epoch()).isEqualTo(1);
        ModeStatus s = applied.get("articles");
        assertThat(s.mode()).isEqualTo(DUAL_WRITE);
        assertThat(s.epoch()).isEqualTo(1);
        assertThat(s.backfill()).isEqualTo(new Backfill("articles-1", StoreRole.TARGET, SinkName.MILVUS,
                Backfill.State.RUNNING, 0, -1, NOW, 0));
        assertThat(d.backfills()).containsExactly(new BackfillRequest("articles-1", "articles", "public.articles",
                StoreRole.TARGET, SinkName.MILVUS, NOW));
        assertThat(d.outcome().actions()).contains("articles: SOURCE_ONLY -> DUAL_WRITE; writes to pgvector"
                + " (required) + milvus (best effort), reads from pgvector");
        assertThat(s.lastRequest()).isEqualTo(d.outcome());
    }

    @Test
    void aClosedGateRefusesCutoverNamingEachFailingConditionAndChangesNothing() {
        apply(request("articles", DUAL_WRITE));
        gate = CLOSED;
        ModeStatus before = applied.get("articles");

        ModeDecider.Decision d = apply(request("articles", CUTOVER));

        assertThat(d.outcome().result()).isEqualTo(RequestOutcome.Result.REFUSED);
        assertThat(d.outcome().reasons()).containsExactly(
                "cutover gate closed: target consumer lag (milvus): 1234 records (limit 100 records)");
        assertThat(applied.get("articles").mode()).isEqualTo(DUAL_WRITE);
        assertThat(applied.get("articles").epoch()).isEqualTo(before.epoch());
        assertThat(d.backfills()).isEmpty();
    }

    @Test
    void forceOverridesAClosedGateAndSaysSo() {
        apply(request("articles", DUAL_WRITE));
        gate = CLOSED;

        ModeDecider.Decision d = apply(new ModeRequest("r", "articles", CUTOVER, "ana", "drill", false, true, null));

        assertThat(d.outcome().result()).isEqualTo(RequestOutcome.Result.APPLIED);
        assertThat(d.outcome().forced()).isTrue();
        assertThat(d.outcome().reasons()).hasSize(1);
        assertThat(applied.get("articles").forced()).isTrue();
        assertThat(applied.get("articles").mode()).isEqualTo(CUTOVER);
    }

    @Test
    void rollbacksNeverAskTheGate() {
        apply(request("articles", DUAL_WRITE));
        apply(request("articles", CUTOVER));
        gate = CLOSED;
        gateCalls = 0;

        assertThat(apply(request("articles", DUAL_WRITE)).outcome().result()).isEqualTo(RequestOutcome.Result.APPLIED);
        assertThat(gateCalls).isZero();
        assertThat(applied.get("articles").backfill().id()).isEqualTo("articles-1"); // the target is still written
    }

    @Test
    void readsGoBackToALegacyStoreRefilledAfterTargetOnlyOnlyThroughTheLegacyGate() {
        List<String> asked = new ArrayList<>();
        ModeDecider twoGates = new ModeDecider(mappings, new CutoverGate() {
            @Override
            public GateVerdict check(ModeStatus status) {
                asked.add("target");
                return GateVerdict.of(List.of());
            }

            @Override
            public GateVerdict checkLegacy(ModeStatus status) {
                asked.add("legacy");
                return gate;
            }
        }, () -> NOW);
        for (StorageMode m : List.of(DUAL_WRITE, CUTOVER, TARGET_ONLY, CUTOVER)) {
            ModeDecider.Decision d = twoGates.decide(request("articles", m), applied);
            d.changed().forEach(st -> applied.put(st.collection(), st));
        }
        assertThat(applied.get("articles").backfill().store()).isEqualTo(StoreRole.LEGACY);
        assertThat(asked).containsExactly("target");
        applied.put("articles", applied.get("articles").withBackfill(applied.get("articles").backfill()
                .with(new BackfillProgress(applied.get("articles").backfill().id(), "articles", Backfill.State.COMPLETED, 10, 10,
                        NOW))));
        gate = GateVerdict.of(List.of(new GateVerdict.Condition("legacy validation (pgvector)", false,
                "no validation of the legacy has finished", "match 100.00% within 60.0 min, finished after its"
                + " backfill")));

        ModeDecider.Decision refused = twoGates.decide(request("articles", DUAL_WRITE), applied);

        assertThat(refused.outcome().reasons()).containsExactly("rollback gate closed: legacy validation (pgvector):"
                + " no validation of the legacy has finished (limit match 100.00% within 60.0 min, finished after its"
                + " backfill)");
        assertThat(asked).containsExactly("target", "legacy");
        gate = GateVerdict.of(List.of());
        assertThat(twoGates.decide(request("articles", SOURCE_ONLY), applied).outcome().result())
                .isEqualTo(RequestOutcome.Result.APPLIED);
        assertThat(asked).containsExactly("target", "legacy", "legacy");
    }

    @Test
    void aStaleRequestIsRefused() {
        apply(request("articles", DUAL_WRITE)); // epoch 1
        ModeDecider.Decision d = apply(new ModeRequest("r", "articles", SOURCE_ONLY, "bob", null, false, false, 0L));

        assertThat(d.outcome().result()).isEqualTo(RequestOutcome.Result.REFUSED);
        assertThat(d.outcome().reasons()).containsExactly("stale request: it was made at epoch 0, but articles changed"
                + " to DUAL_WRITE at epoch 1");
        assertThat(apply(new ModeRequest("r", "articles", SOURCE_ONLY, "bob", null, false, false, 7L))
                .outcome().reasons()).containsExactly("epoch 7 is newer than the newest applied epoch 1");
        assertThat(apply(new ModeRequest("r", "articles", SOURCE_ONLY, "bob", null, false, false, 1L))
                .outcome().result()).isEqualTo(RequestOutcome.Result.APPLIED);
    }

    @Test
    void aDryRunTellsWhatWouldHappenAndChangesNothing() {
        ModeDecider.Decision d = apply(new ModeRequest("r", "articles", DUAL_WRITE, "ana", null, true, false, null));

        assertThat(d.outcome().result()).isEqualTo(RequestOutcome.Result.WOULD_APPLY);
        assertThat(d.changed()).isEmpty();
        assertThat(d.backfills()).isEmpty();
        assertThat(applied).isEmpty();
        assertThat(apply(new ModeRequest("r", "articles", TARGET_ONLY, "ana", null, true, false, null)).outcome()
                .result()).isEqualTo(RequestOutcome.Result.WOULD_REFUSE);
    }

    @Test
    void allMovesEveryMigratingCollectionUnderOneEpochOrNone() {
        ModeDecider.Decision d = apply(request("all", DUAL_WRITE));

        assertThat(d.changed()).extracting(ModeStatus::collection).containsExactly("articles", "books");
        assertThat(d.changed()).extracting(ModeStatus::epoch).containsOnly(1L);
        apply(request("books", SOURCE_ONLY)); // epoch 2, articles stays in DUAL_WRITE

        ModeDecider.Decision refused = apply(request("all", SHADOW));

        assertThat(refused.outcome().reasons()).containsExactly(
                "books: illegal transition SOURCE_ONLY -> SHADOW: from SOURCE_ONLY the next mode is DUAL_WRITE");
        assertThat(applied.get("articles").mode()).isEqualTo(DUAL_WRITE);
    }

    @Test
    void unknownAndNonMigratingCollectionsAreRefusedByName() {
        assertThat(apply(request("films", DUAL_WRITE)).outcome().reasons()).containsExactly(
                "unknown collection 'films'; known: articles, books, notes, or all");
        assertThat(apply(request("notes", DUAL_WRITE)).outcome().reasons()).containsExactly(
                "collection 'notes' does not migrate: set collections.notes.legacy and collections.notes.target");
    }

    @Test
    void readsCannotMoveBackToALegacyStoreThatIsStillBeingBackfilled() {
        apply(request("articles", DUAL_WRITE));
        apply(request("articles", CUTOVER));
        apply(request("articles", TARGET_ONLY));
        ModeDecider.Decision back = apply(request("articles", CUTOVER));
        assertThat(back.backfills()).singleElement().extracting(BackfillRequest::store).isEqualTo(StoreRole.LEGACY);

        assertThat(apply(request("articles", SHADOW)).outcome().reasons()).singleElement().asString()
                .startsWith("the legacy store pgvector is still being backfilled (0/? rows, RUNNING)");

        ModeStatus s = applied.get("articles");
        applied.put("articles", s.withBackfill(s.backfill().with(new BackfillProgress(s.backfill().id(), "articles",
                Backfill.State.COMPLETED, 10, 10, NOW))));
        assertThat(apply(request("articles", SHADOW)).outcome().result()).isEqualTo(RequestOutcome.Result.APPLIED);
    }

    @Test
    void statusesAndOutcomesSurviveJson() {
        apply(request("articles", DUAL_WRITE));
        ModeStatus s = applied.get("articles");

        assertThat(Json.read(Json.write(s), ModeStatus.class)).isEqualTo(s);
        assertThat(Json.write(s)).contains("\"last_request\":{\"request_id\":\"req-articles-DUAL_WRITE\"")
                .contains("\"rows_total\":-1");
    }

    private ModeDecider.Decision apply(ModeRequest request) {
        ModeDecider.Decision d = decider.decide(request, applied);
        d.changed().forEach(s -> applied.put(s.collection(), s));
        return d;
    }

    private static ModeRequest request(String collection, StorageMode mode) {
        return new ModeRequest("req-" + collection + "-" + mode, collection, mode, "ana", "test", false, false, null);
    }

    private static MappingConfig mappings() {
        Map<String, String> raw = new HashMap<>();
        for (String c : List.of("articles", "books", "notes")) {
            raw.put("collections." + c + ".table", "public." + c);
            raw.put("collections." + c + ".id", "id");
            raw.put("collections." + c + ".template", "{title}");
        }
        raw.put("collections.articles.legacy", "pgvector");
        raw.put("collections.articles.target", "milvus");
        raw.put("collections.books.legacy", "neo4j");
        raw.put("collections.books.target", "pgvector");
        ConfigReader reader = new ConfigReader(raw);
        MappingConfig config = MappingConfig.from(reader);
        reader.finish();
        return config;
    }
}
