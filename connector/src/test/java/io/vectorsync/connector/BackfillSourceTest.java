package io.vectorsync.connector;

import io.vectorsync.core.json.Json;
import io.vectorsync.core.model.TableId;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class BackfillSourceTest {

    @Test
    void aBackfillIdThatFitsIsTheSignalIdItself() {
        assertThat(BackfillSource.signalId("articles-7")).isEqualTo("articles-7");
    }

    @Test
    void aLongBackfillIdBecomesTheSameShortIdEveryTime() {
        String id = "a_collection_with_a_rather_long_name_for_docs-12";

        assertThat(BackfillSource.signalId(id)).hasSizeLessThanOrEqualTo(BackfillSource.SIGNAL_ID_LENGTH)
                .isEqualTo(BackfillSource.signalId(id))
                .isNotEqualTo(BackfillSource.signalId(id.replace("12", "13")));
    }

    @Test
    void theSignalAsksForAnIncrementalSnapshotOfExactlyThatTable() {
        Map<?, ?> data = Json.read(BackfillSource.snapshotSignalData(new TableId("public", "docs")), Map.class);

        assertThat(data.get("type")).isEqualTo("incremental");
        List<?> collections = (List<?>) data.get("data-collections");
        assertThat(collections).hasSize(1);
        // Debezium matches each entry as a regular expression against schema.table.
        Pattern pattern = Pattern.compile((String) collections.get(0));
        assertThat(pattern.matcher("public.docs").matches()).isTrue();
        assertThat(pattern.matcher("publicXdocs").matches()).isFalse();
        assertThat(pattern.matcher("public.docs2").matches()).isFalse();
    }
}
