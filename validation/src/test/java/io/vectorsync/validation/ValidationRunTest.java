package io.vectorsync.validation;

import io.vectorsync.core.model.ContentHash;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.validation.ValidationResult;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.validation.ValidationContext.PageHook;
import io.vectorsync.validation.ValidationContext.Sleeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.vectorsync.core.model.SinkName.NEO4J;
import static io.vectorsync.core.model.SinkName.PGVECTOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValidationRunTest {
    private static final int PAGE = 6;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream notices = new ByteArrayOutputStream();
    private final List<ValidationResult> published = new ArrayList<>();

    /** 20 source rows; pgvector and neo4j each corrupted in their own way. */
    private static final class World {
        final Fakes.Source source = new Fakes.Source();
        final Fakes.Store pgvector;
        final Fakes.Store neo4j;

        World() {
            for (int i = 1; i <= 20; i++) {
                source.put(i, "Title " + i, "body of row " + i);
            }
            pgvector = new Fakes.Store(PGVECTOR).copyOf(source);
            neo4j = new Fakes.Store(NEO4J).copyOf(source);
            pgvector.docs.remove("3");
            pgvector.put("5", "old", ContentHash.sha256("old"), Fakes.vector("old"));
            SourceRow seven = source.row(7);
            pgvector.put("7", seven.text(), seven.hash(), Fakes.vector("something else entirely"));
            pgvector.put("99", "ghost", ContentHash.sha256("ghost"), Fakes.vector("ghost"));
            neo4j.docs.remove("4");
            neo4j.docs.remove("20");
            neo4j.put("x|y", "ghost", ContentHash.sha256("ghost"), Fakes.vector("ghost"));
        }

        Map<SinkName, SinkReader> readers() {
            Map<SinkName, SinkReader> readers = new EnumMap<>(SinkName.class);
            readers.put(PGVECTOR, pgvector);
            readers.put(NEO4J, neo4j);
            return readers;
        }
    }

    @Test
    void aFullScanReportsEachKindOfDifferenceByItsExactKeyInEachStore() throws Exception {
        World w = new World();

        CollectionReport report = run(w, 0, PageHook.always(), d -> { }).report().orElseThrow();

        StoreReport pgvector = report.stores().get(0);
        assertThat(pgvector.store()).isEqualTo(PGVECTOR);
        assertThat(pgvector.missingKeys()).containsExactly("3");
        assertThat(pgvector.staleKeys()).containsExactly("5");
        assertThat(pgvector.driftedKeys()).containsExactly("7");
        assertThat(pgvector.orphanedKeys()).containsExactly("99");
        assertThat(pgvector.checked()).isEqualTo(20);
        assertThat(pgvector.matched()).isEqualTo(17);
        StoreReport neo4j = report.stores().get(1);
        assertThat(neo4j.missingKeys()).containsExactly("20", "4");
        assertThat(neo4j.orphanedKeys()).containsExactly("x|y");
        assertThat(neo4j.staleKeys()).isEmpty();
        assertThat(neo4j.driftedKeys()).isEmpty();
        assertThat(report.sourceRows()).isEqualTo(20);
        assertThat(report.rechecked()).isEqualTo(7);
        assertThat(report.resolvedOnRecheck()).isZero();
        assertThat(new CheckpointStore(dir).load("docs")).as("a finished run deletes its checkpoint").isEmpty();
    }

    @Test
    void aCleanCollectionMatchesEverywhereWithoutARecheck() throws Exception {
        World w = new World();
        w.pgvector.docs.clear();
        w.pgvector.copyOf(w.source);
        w.neo4j.docs.clear();
        w.neo4j.copyOf(w.source);
        List<Duration> slept = new ArrayList<>();

        CollectionReport report = run(w, 0, PageHook.always(), slept::add).report().orElseThrow();

        assertThat(report.clean()).isTrue();
        assertThat(report.stores()).allSatisfy(s -> assertThat(s.matchRate()).isEqualTo(1.0));
        assertThat(slept).as("nothing to re-check, no wait").isEmpty();
    }

    @Test
    void differencesThatResolveBeforeTheRecheckAreNotReported() throws Exception {
        World w = new World();
        // The re-check wait stands for the pipeline catching up: row 3 reaches pgvector, orphan 99 is deleted.
        Sleeper catchUp = d -> {
            w.pgvector.write(w.source.row(3));
            w.pgvector.docs.remove("99");
        };

        CollectionReport report = run(w, 0, PageHook.always(), catchUp).report().orElseThrow();

        StoreReport pgvector = report.stores().get(0);
        assertThat(pgvector.missingKeys()).isEmpty();
        assertThat(pgvector.orphanedKeys()).isEmpty();
        assertThat(pgvector.staleKeys()).containsExactly("5");
        assertThat(pgvector.matched()).isEqualTo(18);
        assertThat(report.rechecked()).isEqualTo(7);
        assertThat(report.resolvedOnRecheck()).isEqualTo(2);
        assertThat(text()).contains("re-checking 7 differing documents of docs in 3000 ms");
    }

    @Test
    void anInterruptedRunResumedGivesWhatAnUninterruptedRunGives() throws Exception {
        CollectionReport uninterrupted = run(new World(), 0, PageHook.always(), d -> { }).report().orElseThrow();

        // Stop after the second source page, then during the orphan pass (scan: 4 pages; pgvector orphans: 4).
        for (long stopAt : new long[]{2, 5}) {
            World w = new World();
            ValidationRun.Outcome stopped = run(w, 0, (c, pages) -> pages < stopAt, d -> { });
            assertThat(stopped.report()).as("stopped at page %d", stopAt).isEmpty();
            assertThat(new CheckpointStore(dir).load("docs")).isPresent();

            CollectionReport resumed = run(w, 0, PageHook.always(), d -> { }).report().orElseThrow();

            assertThat(resumed).isEqualTo(uninterrupted);
        }
        assertThat(text()).contains("resuming docs from key 12 (12 source rows done, run run-")
                .contains("resuming docs from store id 14 of pgvector (orphan pass)");
    }

    @Test
    void aCheckpointOfAnotherScopeIsNotResumedUnlessRestarted() throws Exception {
        World w = new World();
        run(w, 0, (c, pages) -> false, d -> { });

        assertThatThrownBy(() -> run(w, 4, PageHook.always(), d -> { }))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("collection 'docs' has an unfinished full scan of pgvector, neo4j")
                .hasMessageContaining("not a sample of 4 rows of pgvector, neo4j")
                .hasMessageContaining("pass --restart to discard it");
        CollectionReport restarted = runner(w, PageHook.always(), d -> { }).run("run-x", 4, true).report()
                .orElseThrow();
        assertThat(restarted.full()).isFalse();
        assertThat(text()).doesNotContain("resuming");
    }

    @Test
    void aSampleComparesOnlyTheSampledRowsAndLooksForNoOrphans() throws Exception {
        World w = new World();

        CollectionReport report = run(w, 5, PageHook.always(), d -> { }).report().orElseThrow();

        // The fake source samples the even ids: 2, 4, 6, 8, 10.
        assertThat(report.sourceRows()).isEqualTo(5);
        assertThat(report.stores().get(0).missingKeys()).isEmpty();
        assertThat(report.stores().get(0).orphanedKeys()).isEmpty();
        assertThat(report.stores().get(1).missingKeys()).containsExactly("4");
        assertThat(report.stores().get(1).checked()).isEqualTo(5);
    }

    @Test
    void theValidatorPublishesOneResultPerCollectionAndStoreOnlyWhenFinished() throws Exception {
        World w = new World();
        Validator stopped = new Validator(context((c, p) -> false, d -> { }), m -> w.source, w.readers(),
                published::addAll);
        assertThat(stopped.validate(List.of(new Selection.Target(Fakes.DOCS, List.of(PGVECTOR, NEO4J))), 0, false)
                .report()).isEmpty();
        assertThat(published).isEmpty();

        Validator validator = new Validator(context(PageHook.always(), d -> { }), m -> w.source, w.readers(),
                published::addAll);
        Validator.Result result = validator.validate(List.of(new Selection.Target(Fakes.DOCS,
                List.of(PGVECTOR, NEO4J))), 0, false);

        ValidationReport report = result.report().orElseThrow();
        assertThat(report.clean()).isFalse();
        assertThat(published).extracting(ValidationResult::key).containsExactly("docs/pgvector", "docs/neo4j");
        ValidationResult pgvector = published.get(0);
        assertThat(pgvector.runId()).isEqualTo(report.runId());
        assertThat(pgvector.full()).isTrue();
        assertThat(List.of(pgvector.checked(), pgvector.matched(), pgvector.missing(), pgvector.orphaned(),
                pgvector.stale(), pgvector.drifted())).containsExactly(20L, 17L, 1L, 1L, 1L, 1L);
        assertThat(result.tallies().get("docs").get(NEO4J).ids(DifferenceKind.MISSING)).containsExactly("20", "4");
    }

    private ValidationRun.Outcome run(World w, int sample, PageHook hook, Sleeper sleeper) throws Exception {
        return runner(w, hook, sleeper).run("run-" + System.nanoTime(), sample, false);
    }

    private ValidationRun runner(World w, PageHook hook, Sleeper sleeper) {
        return new ValidationRun(context(hook, sleeper), Fakes.DOCS, w.source, w.readers());
    }

    private ValidationContext context(PageHook hook, Sleeper sleeper) {
        return new ValidationContext(new ValidationConfig(PAGE, 0.001, Duration.ofSeconds(3), Optional.empty()),
                new Fakes.Embedder(), new CheckpointStore(dir), ProgressBar.silent(),
                new PrintStream(notices, true, StandardCharsets.UTF_8), sleeper, hook, System::currentTimeMillis);
    }

    private String text() {
        return notices.toString(StandardCharsets.UTF_8);
    }
}
