package io.vectorsync.app.preflight;

import io.vectorsync.app.preflight.SourceRules.HeartbeatTable;
import io.vectorsync.app.preflight.SourceRules.Publication;
import io.vectorsync.app.preflight.SourceRules.SignalTable;
import io.vectorsync.app.preflight.SourceRules.Slot;
import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.config.ConfigProblem;
import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.core.model.TableId;
import io.vectorsync.sink.preflight.CheckResult.Status;
import io.vectorsync.sink.preflight.CheckResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What the source's settings and catalog mean, as rows; the shared test server's own settings cannot be changed. */
class SourceRulesTest {
    private static final TableId ARTICLES = new TableId("public", "articles");
    private static final TableId SIGNAL = new TableId("public", "vectorsync_signal");
    private static final TableId HEARTBEAT = new TableId("public", "vectorsync_heartbeat");
    private static final List<String> HEARTBEAT_COLUMNS = List.of("id", "ts");

    @Test
    void logicalWalLevelPasses() {
        CheckResult r = SourceRules.walLevel("logical");

        assertThat(r.status()).isEqualTo(Status.OK);
        assertThat(r.check()).isEqualTo("source.wal_level");
    }

    @ParameterizedTest
    @ValueSource(strings = {"replica", "minimal"})
    void anyOtherWalLevelFailsSayingToSetLogicalAndRestart(String level) {
        CheckResult r = SourceRules.walLevel(level);

        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.detail()).contains("wal_level = " + level);
        assertThat(r.fix()).contains("set wal_level=logical in postgresql.conf").contains("restart");
    }

    @Test
    void noReplicationSlotsAtAllFails() {
        CheckResult r = SourceRules.replicationSlots(0, 0, false);

        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.fix()).contains("max_replication_slots").contains("restart");
    }

    @Test
    void allSlotsTakenFailsUnlessOneIsThePipelinesOwn() {
        assertThat(SourceRules.replicationSlots(4, 4, false).status()).isEqualTo(Status.FAIL);
        assertThat(SourceRules.replicationSlots(4, 4, false).fix()).contains("pg_drop_replication_slot");
        assertThat(SourceRules.replicationSlots(4, 4, true).status()).isEqualTo(Status.OK);
        assertThat(SourceRules.replicationSlots(4, 3, false).detail()).contains("1 free");
    }

    @Test
    void walSendersMustExistAndOneBeFreeUnlessTheSlotIsAlreadyStreaming() {
        assertThat(SourceRules.walSenders(0, 0, false).status()).isEqualTo(Status.FAIL);
        assertThat(SourceRules.walSenders(0, 0, false).fix()).contains("max_wal_senders");
        assertThat(SourceRules.walSenders(2, 2, false).status()).isEqualTo(Status.FAIL);
        assertThat(SourceRules.walSenders(2, 2, true).status()).isEqualTo(Status.OK);
        assertThat(SourceRules.walSenders(10, 1, false).status()).isEqualTo(Status.OK);
    }

    @Test
    void aUserWithoutReplicationOrSuperuserFailsWithTheAlterRole() {
        CheckResult r = SourceRules.replicationRole("app", false, false);

        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.fix()).contains("ALTER ROLE app WITH REPLICATION");
        assertThat(SourceRules.replicationRole("app", false, true).status()).isEqualTo(Status.OK);
        assertThat(SourceRules.replicationRole("postgres", true, false).status()).isEqualTo(Status.OK);
    }

    @Test
    void aMissingSlotWarnsThatItIsCreatedAtStart() {
        CheckResult r = SourceRules.slot("vs", "demo", Optional.empty());

        assertThat(r.status()).isEqualTo(Status.WARN);
        assertThat(r.detail()).contains("created at start");
        assertThat(r.fix()).contains("source.slot.name");
    }

    @Test
    void anIdlePgoutputSlotOfThisDatabaseIsReady() {
        CheckResult r = SourceRules.slot("vs", "demo", Optional.of(new Slot("pgoutput", "logical", "demo", false,
                null)));

        assertThat(r.status()).isEqualTo(Status.OK);
    }

    @Test
    void aSlotInUseWarnsNamingTheProcess() {
        CheckResult r = SourceRules.slot("vs", "demo", Optional.of(new Slot("pgoutput", "logical", "demo", true,
                4242)));

        assertThat(r.status()).isEqualTo(Status.WARN);
        assertThat(r.detail()).contains("4242");
        assertThat(r.fix()).contains("pg_terminate_backend(4242)");
    }

    @Test
    void aSlotOfAnotherPluginTypeOrDatabaseFailsSayingToDropOrRename() {
        List<Slot> wrong = List.of(new Slot("wal2json", "logical", "demo", false, null),
                new Slot(null, "physical", null, false, null),
                new Slot("pgoutput", "logical", "other", false, null));
        for (Slot slot : wrong) {
            CheckResult r = SourceRules.slot("vs", "demo", Optional.of(slot));
            assertThat(r.status()).as(slot.toString()).isEqualTo(Status.FAIL);
            assertThat(r.fix()).contains("pg_drop_replication_slot('vs')").contains("source.slot.name");
        }
    }

    @Test
    void aMissingPublicationWarnsWhenTheUserMayCreateItAndFailsWhenNot() {
        List<TableId> wanted = List.of(ARTICLES, SIGNAL);

        CheckResult may = SourceRules.publication("vs", Optional.empty(), wanted, true);
        CheckResult mayNot = SourceRules.publication("vs", Optional.empty(), wanted, false);

        assertThat(may.status()).isEqualTo(Status.WARN);
        assertThat(may.detail()).contains("created at start");
        assertThat(mayNot.status()).isEqualTo(Status.FAIL);
        assertThat(mayNot.fix()).contains("CREATE PUBLICATION vs FOR TABLE public.articles, public.vectorsync_signal");
    }

    @Test
    void aPublicationCoveringEveryCapturedTableIsReadyAndOneLackingSomeWarns() {
        List<TableId> wanted = List.of(ARTICLES, SIGNAL);

        CheckResult covers = SourceRules.publication("vs", Optional.of(new Publication(false, true,
                Set.of("public.articles", "public.vectorsync_signal"))), wanted, false);
        CheckResult lacks = SourceRules.publication("vs", Optional.of(new Publication(false, true,
                Set.of("public.vectorsync_signal"))), wanted, false);
        CheckResult all = SourceRules.publication("vs", Optional.of(new Publication(true, true, Set.of())), wanted,
                false);

        assertThat(covers.status()).isEqualTo(Status.OK);
        assertThat(all.status()).isEqualTo(Status.OK);
        assertThat(lacks.status()).isEqualTo(Status.WARN);
        assertThat(lacks.detail()).contains("lacks public.articles").doesNotContain("vectorsync_signal");
        assertThat(lacks.fix()).contains("ALTER PUBLICATION vs ADD TABLE public.articles");
    }

    @Test
    void aPublicationThatSkipsDeletesOrTruncatesFails() {
        CheckResult r = SourceRules.publication("vs", Optional.of(new Publication(true, false, Set.of())),
                List.of(ARTICLES), true);

        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.detail()).contains("every insert, update, delete and truncate");
        assertThat(r.fix()).contains("ALTER PUBLICATION vs SET (publish = 'insert, update, delete, truncate')");
    }

    @Test
    void aTableWithTheValidatorsProblemsFailsNamingTheKeys() {
        CollectionMapping m = mapping();
        List<ConfigProblem> problems = List.of(new ConfigProblem("collections.articles.template", "{title}: {summary}",
                "it reads column 'summary' but table public.articles has no such column"));

        CheckResult r = SourceRules.table(m, problems, Optional.of(true), "app");

        assertThat(r.check()).isEqualTo("source.table:articles");
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.detail()).contains("'collections.articles.template' was '{title}: {summary}'").contains("summary");
        assertThat(r.fix()).contains("collections.articles.template");
    }

    @Test
    void aTableTheUserMayNotReadFailsWithTheGrant() {
        CheckResult r = SourceRules.table(mapping(), List.of(), Optional.of(false), "app");

        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.fix()).isEqualTo("GRANT SELECT ON public.articles TO app");
    }

    @Test
    void aFittingReadableTableIsReady() {
        CheckResult r = SourceRules.table(mapping(), List.of(), Optional.of(true), "app");

        assertThat(r.status()).isEqualTo(Status.OK);
        assertThat(r.detail()).contains("id, title, body");
    }

    @Test
    void theSignalTableIsCreatedAtStartWhenTheUserMayAndOtherwiseSaysHow() {
        assertThat(SourceRules.signalTable(SIGNAL, "app", Optional.empty(), Optional.of(true)).status())
                .isEqualTo(Status.WARN);
        CheckResult mayNot = SourceRules.signalTable(SIGNAL, "app", Optional.empty(), Optional.of(false));
        assertThat(mayNot.status()).isEqualTo(Status.FAIL);
        assertThat(mayNot.fix()).contains("GRANT CREATE ON SCHEMA public TO app");
        CheckResult noSchema = SourceRules.signalTable(new TableId("ops", "signal"), "app", Optional.empty(),
                Optional.empty());
        assertThat(noSchema.status()).isEqualTo(Status.FAIL);
        assertThat(noSchema.fix()).contains("CREATE SCHEMA ops");
    }

    @Test
    void anExistingSignalTableNeedsItsColumnsAndInsertAndDelete() {
        List<String> columns = List.of("id", "type", "data");
        assertThat(SourceRules.signalTable(SIGNAL, "app", Optional.of(new SignalTable(columns, true, true)),
                Optional.of(false)).status()).isEqualTo(Status.OK);
        CheckResult noDelete = SourceRules.signalTable(SIGNAL, "app", Optional.of(new SignalTable(columns, true,
                false)), Optional.of(false));
        assertThat(noDelete.status()).isEqualTo(Status.FAIL);
        assertThat(noDelete.detail()).contains("may not delete from signal table");
        assertThat(noDelete.fix()).isEqualTo("GRANT INSERT, DELETE ON public.vectorsync_signal TO app");
        CheckResult foreign = SourceRules.signalTable(SIGNAL, "app", Optional.of(new SignalTable(List.of("id",
                "payload"), true, true)), Optional.of(true));
        assertThat(foreign.status()).isEqualTo(Status.FAIL);
        assertThat(foreign.detail()).contains("[type, data]");
    }

    @Test
    void theHeartbeatTableIsCreatedAtStartWhenTheUserMayAndOtherwiseSaysHow() {
        CheckResult created = SourceRules.heartbeatTable(HEARTBEAT, "app", Optional.empty(), Optional.of(true));
        assertThat(created.status()).isEqualTo(Status.WARN);
        assertThat(created.check()).isEqualTo("source.heartbeat_table");
        assertThat(created.detail()).isEqualTo("heartbeat table public.vectorsync_heartbeat does not exist yet:"
                + " created at start");
        assertThat(created.fix()).contains("source.heartbeat.table");
        CheckResult mayNot = SourceRules.heartbeatTable(HEARTBEAT, "app", Optional.empty(), Optional.of(false));
        assertThat(mayNot.status()).isEqualTo(Status.FAIL);
        assertThat(mayNot.fix()).isEqualTo("GRANT CREATE ON SCHEMA public TO app, or create the table"
                + " (id int PRIMARY KEY, ts timestamptz) and GRANT SELECT, INSERT, UPDATE ON it");
        CheckResult noSchema = SourceRules.heartbeatTable(new TableId("ops", "beat"), "app", Optional.empty(),
                Optional.empty());
        assertThat(noSchema.status()).isEqualTo(Status.FAIL);
        assertThat(noSchema.fix()).contains("CREATE SCHEMA ops").contains("source.heartbeat.table");
    }

    @Test
    void anExistingHeartbeatTableNeedsItsColumnsAUniqueIdAndSelectInsertAndUpdate() {
        assertThat(heartbeat(new HeartbeatTable(HEARTBEAT_COLUMNS, true, true, true, true)).status())
                .isEqualTo(Status.OK);

        CheckResult foreign = heartbeat(new HeartbeatTable(List.of("id", "last_update"), true, true, true, true));
        assertThat(foreign.status()).isEqualTo(Status.FAIL);
        assertThat(foreign.detail()).contains("is not a heartbeat table: it lacks [ts]");

        CheckResult noKey = heartbeat(new HeartbeatTable(HEARTBEAT_COLUMNS, true, true, true, false));
        assertThat(noKey.status()).isEqualTo(Status.FAIL);
        assertThat(noKey.detail()).contains("no primary key or unique index on id");
        assertThat(noKey.fix()).isEqualTo("ALTER TABLE public.vectorsync_heartbeat ADD PRIMARY KEY (id)");

        CheckResult noUpdate = heartbeat(new HeartbeatTable(HEARTBEAT_COLUMNS, false, true, false, true));
        assertThat(noUpdate.status()).isEqualTo(Status.FAIL);
        assertThat(noUpdate.detail()).isEqualTo("user app lacks SELECT, UPDATE on heartbeat table"
                + " public.vectorsync_heartbeat, which the heartbeat's upsert needs");
        assertThat(noUpdate.fix()).isEqualTo("GRANT SELECT, INSERT, UPDATE ON public.vectorsync_heartbeat TO app");
    }

    private static CheckResult heartbeat(HeartbeatTable table) {
        return SourceRules.heartbeatTable(HEARTBEAT, "app", Optional.of(table), Optional.of(false));
    }

    private static CollectionMapping mapping() {
        return MappingConfig.from(new ConfigReader(Map.of(
                "collections.articles.table", "public.articles",
                "collections.articles.id", "id",
                "collections.articles.template", "{title}: {body}"))).collections().get(0);
    }
}
