package io.vectorsync.validation;

import io.vectorsync.validation.Checkpoint.Phase;
import io.vectorsync.validation.Checkpoint.Scope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointStoreTest {
    @TempDir
    Path dir;

    @Test
    void aSavedCheckpointLoadsBackEqualAndIsGoneOnceDeleted() {
        CheckpointStore store = new CheckpointStore(dir.resolve("validate"));
        StoreTally tally = new StoreTally();
        tally.checked("a\\|b|c", List.of("a|b", "c"), Optional.of(DifferenceKind.STALE));
        tally.orphan("zz", null);
        Checkpoint checkpoint = new Checkpoint("run-1", "docs", new Scope(true, 0, List.of("pgvector", "milvus")),
                Phase.ORPHANS, List.of("a|b", "c"), null, 200, 120, 3, "milvus", "k|17", Map.of("pgvector",
                tally.state()), 1_700_000_000_000L);

        store.save(checkpoint);
        store.save(checkpoint);

        assertThat(store.load("docs")).contains(checkpoint);
        assertThat(store.load("other")).isEmpty();
        assertThat(checkpoint.position()).isEqualTo("store id k|17 of milvus (orphan pass)");
        store.delete("docs");
        assertThat(store.load("docs")).isEmpty();
    }

    @Test
    void aSampleCheckpointKeepsItsKeys() {
        CheckpointStore store = new CheckpointStore(dir);
        List<List<String>> keys = List.of(List.of("4"), List.of("8"), Arrays.asList("12"));
        Checkpoint checkpoint = new Checkpoint("run-2", "docs", new Scope(false, 3, List.of("neo4j")), Phase.SCAN,
                null, keys, 3, 1, 1, null, null, Map.of(), 1L);

        store.save(checkpoint);

        assertThat(store.load("docs").orElseThrow().sampleKeys()).isEqualTo(keys);
        assertThat(checkpoint.position()).isEqualTo("sampled row 2 of 3");
    }

    @Test
    void aFileThatIsNotACheckpointIsNamedWithTheWayOut() throws Exception {
        Files.writeString(dir.resolve("docs.json"), "{\"truncated\": ");
        CheckpointStore store = new CheckpointStore(dir);

        assertThatThrownBy(() -> store.load("docs")).isInstanceOf(CheckpointException.class)
                .hasMessageContaining(dir.resolve("docs.json").toString())
                .hasMessageContaining("pass --restart to discard it");
    }
}
