package io.vectorsync.validation;

import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.model.ContentHash;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.validation.ValidationContext.PageHook;
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
import java.util.concurrent.atomic.AtomicLong;

import static io.vectorsync.core.model.SinkName.NEO4J;
import static io.vectorsync.core.model.SinkName.PGVECTOR;
import static org.assertj.core.api.Assertions.assertThat;

class RepairerTest {
    @TempDir
    Path dir;

    private final Fakes.Source source = new Fakes.Source();
    private final Fakes.Store pgvector = new Fakes.Store(PGVECTOR);
    private final Fakes.Store neo4j = new Fakes.Store(NEO4J);
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final ByteArrayOutputStream notices = new ByteArrayOutputStream();

    /** Applies re-drives to the fake stores the way the pipeline would, once asked. */
    private final class Pipeline implements Redrive {
        final List<List<String>> reread = new ArrayList<>();
        final List<List<String>> deleted = new ArrayList<>();
        final boolean works;

        Pipeline(boolean works) {
            this.works = works;
        }

        @Override
        public void reread(CollectionMapping mapping, List<List<String>> keys) {
            reread.addAll(keys);
            if (works) {
                keys.forEach(k -> {
                    pgvector.write(source.row(Integer.parseInt(k.get(0))));
                    neo4j.write(source.row(Integer.parseInt(k.get(0))));
                });
            }
        }

        @Override
        public void deleteAbsent(CollectionMapping mapping, List<List<String>> keys) {
            deleted.addAll(keys);
            if (works) {
                keys.forEach(k -> {
                    pgvector.docs.remove(k.get(0));
                    neo4j.docs.remove(k.get(0));
                });
            }
        }

        @Override
        public void close() {
        }
    }

    @Test
    void reReadsRowsDeletesOrphansAndWaitsUntilEveryStoreMatches() throws Exception {
        Map<SinkName, StoreTally> tallies = corrupt();
        Pipeline pipeline = new Pipeline(true);

        RepairOutcome outcome = repairer(pipeline).repair(Fakes.DOCS, source, readers(), tallies,
                Duration.ofSeconds(120));

        assertThat(pipeline.reread).containsExactlyInAnyOrder(List.of("2"), List.of("3"), List.of("4"));
        assertThat(pipeline.deleted).containsExactly(List.of("77"));
        assertThat(outcome).isEqualTo(new RepairOutcome("docs", 5, 4, List.of("a|b")));
        assertThat(notices.toString(StandardCharsets.UTF_8))
                .contains("cannot re-drive docs document 'a|b'")
                .contains("repairing docs: re-reading 3 source rows, deleting 1 orphans");
        assertThat(pgvector.docs).containsKeys("2", "3").doesNotContainKey("77");
    }

    @Test
    void whatTheTimeoutLeavesDifferentIsReportedUnrepaired() throws Exception {
        Map<SinkName, StoreTally> tallies = corrupt();

        RepairOutcome outcome = repairer(new Pipeline(false)).repair(Fakes.DOCS, source, readers(), tallies,
                Duration.ofSeconds(10));

        assertThat(outcome.repaired()).isZero();
        assertThat(outcome.total()).isEqualTo(5);
        assertThat(outcome.unrepaired()).containsExactly("2", "3", "4", "77", "a|b");
        assertThat(outcome.complete()).isFalse();
        assertThat(now.get()).as("gave up once the timeout passed").isGreaterThanOrEqualTo(1_010_000);
    }

    @Test
    void nothingToRepairIsAnEmptyCompleteRepair() throws Exception {
        RepairOutcome outcome = repairer(new Pipeline(true)).repair(Fakes.DOCS, source, readers(),
                Map.of(PGVECTOR, new StoreTally()), Duration.ofSeconds(1));
        assertThat(outcome.complete()).isTrue();
        assertThat(outcome.total()).isZero();
    }

    /** pgvector misses 2 and has 3 stale and orphan 77; neo4j misses 4 and has an unparseable orphan. */
    private Map<SinkName, StoreTally> corrupt() {
        for (int i = 1; i <= 5; i++) {
            source.put(i, "T" + i, "B" + i);
        }
        pgvector.copyOf(source);
        neo4j.copyOf(source);
        pgvector.docs.remove("2");
        pgvector.put("3", "old", ContentHash.sha256("old"), Fakes.vector("old"));
        pgvector.put("77", "ghost", ContentHash.sha256("ghost"), null);
        neo4j.docs.remove("4");
        neo4j.put("a|b", "ghost", ContentHash.sha256("ghost"), null);
        StoreTally p = new StoreTally();
        p.checked("2", List.of("2"), Optional.of(DifferenceKind.MISSING));
        p.checked("3", List.of("3"), Optional.of(DifferenceKind.STALE));
        p.orphan("77", List.of("77"));
        StoreTally n = new StoreTally();
        n.checked("4", List.of("4"), Optional.of(DifferenceKind.MISSING));
        n.orphan("a|b", null);
        Map<SinkName, StoreTally> tallies = new EnumMap<>(SinkName.class);
        tallies.put(PGVECTOR, p);
        tallies.put(NEO4J, n);
        return tallies;
    }

    private Map<SinkName, SinkReader> readers() {
        Map<SinkName, SinkReader> readers = new EnumMap<>(SinkName.class);
        readers.put(PGVECTOR, pgvector);
        readers.put(NEO4J, neo4j);
        return readers;
    }

    private Repairer repairer(Redrive redrive) {
        ValidationContext context = new ValidationContext(new ValidationConfig(2, 0.001, Duration.ZERO,
                Optional.empty()), new Fakes.Embedder(), new CheckpointStore(dir), ProgressBar.silent(),
                new PrintStream(notices, true, StandardCharsets.UTF_8), d -> now.addAndGet(d.toMillis()),
                PageHook.always(), now::get);
        return new Repairer(context, redrive, Duration.ofSeconds(1));
    }
}
