package io.vectorsync.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vectorsync.core.json.Json;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SearchTableTest {

    @Test
    void columnsStayAlignedWhenIdsAreLong() {
        List<JsonNode> hits = new ArrayList<>();
        Json.read("[{\"id\":\"7\",\"score\":0.91234,\"content\":\"short id\"},"
                + "{\"id\":\"tenant-0042/order-2025-000000017/line-3\",\"score\":0.5,\"content\":\"long\\nid\"},"
                + "{\"id\":\"x\",\"score\":-0.25,\"content\":\"negative\"}]", JsonNode.class).forEach(hits::add);

        assertThat(SearchTable.render(hits)).isEqualTo(String.join(System.lineSeparator(),
                " #  SCORE       ID                                       CONTENT",
                "1.  0.9123      7                                        short id",
                "2.  0.5000      tenant-0042/order-2025-000000017/line-3  long id",
                "3.  -0.2500     x                                        negative", ""));
    }

    @Test
    void longContentIsCutOnOneLine() {
        List<JsonNode> hits = new ArrayList<>();
        hits.add(Json.read("{\"id\":\"a\",\"score\":1,\"content\":\"" + "w ".repeat(80) + "\"}", JsonNode.class));

        String line = SearchTable.render(hits).lines().toList().get(1);

        assertThat(line).endsWith("…").hasSize("1.  1.0000      a   ".length() + SearchTable.CONTENT_CHARS);
    }
}
