package io.vectorsync.connector.redrive;

import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.debezium.CdcRecordParser;
import io.vectorsync.core.mapping.DocumentIds;
import io.vectorsync.core.model.ChangeEvent;
import io.vectorsync.core.model.Operation;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StreamPosition;
import io.vectorsync.core.model.TableId;
import io.vectorsync.core.model.TextTemplate;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A re-driven delete read by the streams topology's own parser, as the pipeline reads it: here, where the connector
 * that writes it and the streams module that reads it meet.
 */
class DeleteEventParsingTest {
    private static final TableId COMP = new TableId("public", "comp");

    @Test
    void theStreamsParserReadsARedrivenDeleteAsADeleteOfThatDocumentAtThatPosition() {
        List<KeyColumn> primaryKey = List.of(new KeyColumn("b", "integer", KeyColumn.Kind.NUMBER),
                new KeyColumn("a", "text", KeyColumn.Kind.TEXT));
        Map<String, Object> key = DeleteEvent.key(primaryKey, List.of("2", "y'q|"));

        ChangeEvent event = CdcRecordParser.parse(DeleteEvent.keyJson(key),
                DeleteEvent.value(COMP, "shop", key, 455_626_064L, 1_700_000_000_123L));

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
