package io.vectorsync.core.debezium;

import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.mapping.DocumentIds;
import io.vectorsync.core.model.ChangeEvent;
import io.vectorsync.core.model.Operation;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StreamPosition;
import io.vectorsync.core.model.TableId;
import io.vectorsync.core.model.TextTemplate;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A re-driven delete read back by the parser the streams topology uses: the format's writer and reader, side by side.
 */
class DeleteEventParsingTest {
    private static final TableId COMP = new TableId("public", "comp");

    @Test
    void theStreamsParserReadsARedrivenDeleteAsADeleteOfThatDocumentAtThatPosition() {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("b", 2);
        key.put("a", "y'q|");

        ChangeEvent event = CdcRecordParser.parse(DeleteEvent.keyJson(key),
                DeleteEvent.value(COMP, "shop", key, 455_626_064L, 1_700_000_000_123L, "3.6.0.Final"));

        assertThat(event.op()).isEqualTo(Operation.DELETE);
        assertThat(event.isDelete()).isTrue();
        assertThat(event.table()).isEqualTo(COMP);
        assertThat(event.key()).isEqualTo(Map.of("b", 2, "a", "y'q|"));
        assertThat(event.before()).isEqualTo(Map.of("b", 2, "a", "y'q|"));
        assertThat(event.after()).isEmpty();
        assertThat(event.lsn()).isEqualTo(455_626_064L);
        assertThat(event.position()).isEqualTo(new StreamPosition(455_626_064L, 455_626_064L));
        assertThat(event.sourceTsMs()).isEqualTo(1_700_000_000_123L);
        assertThat(event.txId()).isNull();
        assertThat(event.incrementalSnapshot()).isFalse();
        CollectionMapping mapping = new CollectionMapping("comp", COMP, List.of("a", "b"), TextTemplate.parse("{c}"),
                List.of(), EnumSet.allOf(SinkName.class), List.of());
        assertThat(DocumentIds.documentId(mapping, event.currentRow())).isEqualTo("y'q\\||2");
    }
}
